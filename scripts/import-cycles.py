#!/usr/bin/env python3
"""Finds import cycles between the modules of each crate in the workspace.

Every source file is a module. A module depends on another when it names it
in a path: `use crate::store::Store`, `crate::engine::run(..)`,
`super::Draft`, or a child module's name (`transport::send`). A path counts
for the deepest module it names, so `crate::engine::Engine` is a dependency on
`engine` and `crate::engine::oauth::exchange` one on `engine::oauth`.
Declaring a child (`mod transport;`) or re-exporting it is not a use of it;
naming what it holds is. Test code counts like any other code.

Prints each cycle found and exits 1 if there is one; prints nothing and
exits 0 otherwise. Usage: scripts/import-cycles.py [crate-src-dir ...]
"""
import os
import re
import sys

CRATES = ["src", "types/src", "server/src", "e2e/src"]


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # Raw and plain string literals would otherwise look like paths.
        line = re.sub(r'r#*"[^"]*"#*', '""', line)
        line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
        line = re.sub(r"//.*", "", line)
        out.append(line)
    return "\n".join(out)


def module_files(root):
    """Maps module path (tuple) to its file, for one crate's source dir."""
    modules = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if len(parts) == 0 and name == "main.rs" and os.path.exists(os.path.join(root, "lib.rs")):
                continue  # the binary is its own crate that uses the library
            modules[tuple(parts)] = os.path.join(dirpath, name)
    return modules


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"]."""
    tree = re.sub(r"\s+", "", tree)
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{" and depth == 0:
            prefix = tree[:i]
            inner = tree[i + 1 : tree.rindex("}")]
            parts, depth2, start = [], 0, 0
            for j, c in enumerate(inner):
                if c == "{":
                    depth2 += 1
                elif c == "}":
                    depth2 -= 1
                elif c == "," and depth2 == 0:
                    parts.append(inner[start:j])
                    start = j + 1
            parts.append(inner[start:])
            result = []
            for p in parts:
                if p:
                    result += [prefix + e if e != "self" else prefix.rstrip(":") for e in expand_use_tree(p)]
            return result
    return [re.sub(r"\bas\w+$", "", tree)]


PATH = re.compile(r"(?<![\w:])((?:crate|super|self|[a-z_][a-z0-9_]*)(?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def inline_modules_as_self(body):
    """Inside `mod tests { .. }`, `super::` is the file's own module."""
    out, i = [], 0
    for m in re.finditer(r"\bmod\s+\w+\s*\{", body):
        if m.start() < i:
            continue
        depth, j = 1, m.end()
        while j < len(body) and depth:
            depth += {"{": 1, "}": -1}.get(body[j], 0)
            j += 1
        out.append(body[i : m.end()])
        out.append(re.sub(r"\bsuper::", "self::", body[m.end() : j]))
        i = j
    out.append(body[i:])
    return "".join(out)


def reexports_of(module, text, modules):
    """Names a module re-exports (`pub use child::Item;`) -> the module that has them."""
    names = {}
    body = inline_modules_as_self(strip_comments_and_strings(text))
    for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", body):
        for path in expand_use_tree(m.group(1)):
            segs = path.split("::")
            base = () if segs[0] == "crate" else module
            rest = segs[1:] if segs[0] in ("crate", "self") else segs
            target = base
            for seg in rest[:-1]:
                if target + (seg,) in modules:
                    target = target + (seg,)
            if target != module:
                names[rest[-1]] = target
    return names


def dependencies(module, text, modules, reexports_by_module):
    body = inline_modules_as_self(strip_comments_and_strings(text))
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", body):
        paths += expand_use_tree(m.group(1))
    body_wo_use = re.sub(r"\buse\s+[^;]+;", " ", body)
    # `pub use child::X;` in a parent only re-exports; it is not counted below.
    paths += [m.group(1) for m in PATH.finditer(body_wo_use)]
    reexports = set()
    for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", body):
        reexports.update(expand_use_tree(m.group(1)))
    deps = set()
    for path in paths:
        segs = [s for s in path.split("::") if s]
        if not segs:
            continue
        if segs[0] == "crate":
            base, rest = (), segs[1:]
        elif segs[0] == "super":
            base, rest = module, segs
            while rest and rest[0] == "super":
                base, rest = base[:-1], rest[1:]
        elif segs[0] == "self":
            base, rest = module, segs[1:]
        elif module + (segs[0],) in modules:
            base, rest = module, segs
        else:
            continue  # another crate, std, or a local item
        target = base
        for seg in rest:
            if target + (seg,) in modules:
                target = target + (seg,)
            elif seg in reexports_by_module.get(target, {}):
                target = reexports_by_module[target][seg]
                break
            else:
                break
        if target == module:
            continue
        if path in reexports and target[: len(module)] == module:
            continue  # a parent re-exporting its child's item
        deps.add(target)
    return deps


def cycles(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            strong(v)
    return out


def name(crate, module):
    return crate + ":" + ("::".join(module) or "(root)")


def main():
    roots = sys.argv[1:] or [c for c in CRATES if os.path.isdir(c)]
    found = False
    for root in roots:
        modules = module_files(root)
        texts = {}
        for module, path in modules.items():
            with open(path, encoding="utf-8") as f:
                texts[module] = f.read()
        reexports = {m: reexports_of(m, t, modules) for m, t in texts.items()}
        graph = {m: dependencies(m, t, modules, reexports) for m, t in texts.items()}
        for comp in cycles(graph):
            found = True
            members = set(comp)
            print(f"import cycle in {root}: " + ", ".join(sorted(name(root, m) for m in comp)))
            for m in sorted(comp):
                for d in sorted(graph[m] & members):
                    print(f"    {name(root, m)} uses {name(root, d)}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
