// conduit-embed.js: conduit's instance settings inside a host page.
//
//   <script type="module" src="https://<conduit>/embed/v1/conduit-embed.js"></script>
//   <conduit-instance-settings instance="7" session-url="/my-backend/conduit-session"></conduit-instance-settings>
//
// or, with control over the session and the events:
//
//   import { mount } from "https://<conduit>/embed/v1/conduit-embed.js";
//   const handle = mount(element, { instance: 7, fetchSession, onEvent, appearance });
//   handle.requestSave(); handle.discard(); handle.update({ appearance }); handle.destroy();
//
// The settings run in an iframe on conduit's origin. This script hands the
// iframe a one-time session secret from the host's backend over a
// MessageChannel, never in an address; it only ever posts to conduit's
// origin, and it listens only on its own channel.

const SCRIPT = new URL(import.meta.url);
const CONDUIT = SCRIPT.origin;
const BASE = SCRIPT.pathname.replace(/\/embed\/v1\/conduit-embed\.js$/, "");
const EVENTS = new Set(["ready", "resize", "dirty", "test", "saved", "session-expired", "error"]);
const APPEARANCE = ["colorPrimary", "colorBackground", "colorText", "colorDanger", "fontFamily", "borderRadius", "spacing"];
const CONNECT_EVERY_MS = 100;
const CONNECT_TRIES = 150;

const mounted = new WeakMap();

/** The settings of one instance inside `element`; answers a handle. */
export function mount(element, options = {}) {
  if (!(element instanceof Element)) {
    throw new TypeError("conduit: mount() needs the element to show the settings in.");
  }
  const instance = Number(options.instance);
  if (!Number.isSafeInteger(instance) || instance <= 0) {
    throw new TypeError("conduit: mount() needs the instance's id, a positive whole number.");
  }
  if (typeof options.fetchSession !== "function") {
    throw new TypeError("conduit: mount() needs fetchSession, a function answering a session from your backend.");
  }
  mounted.get(element)?.destroy();
  const embed = new Embed(element, instance, options);
  mounted.set(element, embed);
  return embed.handle;
}

/** The appearance variables among `appearance`'s keys (conduit checks the values). */
function pickAppearance(appearance) {
  const picked = {};
  if (appearance && typeof appearance === "object") {
    for (const name of APPEARANCE) {
      if (appearance[name] !== undefined) picked[name] = appearance[name];
    }
  }
  return picked;
}

class Embed {
  constructor(element, instance, { fetchSession, onEvent, appearance }) {
    this.element = element;
    this.instance = instance;
    this.fetchSession = fetchSession;
    this.onEvent = typeof onEvent === "function" ? onEvent : null;
    this.appearance = pickAppearance(appearance);
    this.iframe = null;
    this.port = null;
    this.channels = [];
    this.timer = null;
    this.secret = null;
    this.destroyed = false;
    this.handle = Object.freeze({
      destroy: () => this.destroy(),
      requestSave: () => this.send({ type: "save" }),
      discard: () => this.send({ type: "discard" }),
      update: ({ appearance } = {}) => {
        this.appearance = { ...this.appearance, ...pickAppearance(appearance) };
        this.send({ type: "appearance", appearance: this.appearance });
      },
    });
    this.start();
  }

  async start() {
    const session = await this.session();
    if (this.destroyed) return;
    if (!session) {
      this.emit("error", { message: "The portal could not start a session for these settings." });
      return;
    }
    this.secret = session.secret;
    const iframe = document.createElement("iframe");
    iframe.title = "instance settings";
    iframe.src = `${CONDUIT}${BASE}/embed/${session.company}/instances/${this.instance}/settings/details`;
    iframe.setAttribute("allow", "clipboard-write");
    for (const [property, value] of [["display", "block"], ["width", "100%"], ["height", "240px"], ["border", "0"]]) {
      iframe.style.setProperty(property, value, "important");
    }
    this.onLoad = () => this.connect();
    iframe.addEventListener("load", this.onLoad);
    this.iframe = iframe;
    this.element.append(iframe);
  }

  /** A session from the host's backend: `{ secret, company }`, or null. */
  async session() {
    try {
      const session = await this.fetchSession();
      if (session && typeof session.secret === "string" && Number.isSafeInteger(session.company)) return session;
    } catch (error) {
      console.error("conduit: fetchSession failed", error);
    }
    return null;
  }

  /** Offers the iframe a channel until it takes one. */
  connect() {
    clearInterval(this.timer);
    if (this.port) return;
    let tries = 0;
    const offer = () => {
      if (this.port || this.destroyed) return clearInterval(this.timer);
      if (++tries > CONNECT_TRIES) {
        clearInterval(this.timer);
        this.emit("error", { message: "The settings could not be loaded." });
        return;
      }
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => this.taken(channel, event.data);
      this.channels.push(channel);
      this.iframe.contentWindow?.postMessage({ type: "conduit:connect" }, CONDUIT, [channel.port2]);
    };
    offer();
    this.timer = setInterval(offer, CONNECT_EVERY_MS);
  }

  taken(channel, data) {
    if (this.port || this.destroyed) return;
    clearInterval(this.timer);
    this.port = channel.port1;
    for (const other of this.channels) if (other !== channel) other.port1.close();
    this.channels = [];
    this.port.onmessage = (event) => this.receive(event.data);
    this.receive(data);
  }

  receive(data) {
    if (!data || typeof data.type !== "string") return;
    const { type, ...detail } = data;
    if (type === "hello") {
      if (Object.keys(this.appearance).length) this.send({ type: "appearance", appearance: this.appearance });
      this.send({ type: "session", secret: this.secret });
      this.secret = null;
    } else if (type === "session-needed") {
      this.renew();
    } else if (type === "resize") {
      const height = Number(detail.height);
      if (!Number.isFinite(height) || height < 0) return;
      this.iframe.style.setProperty("height", `${Math.ceil(height)}px`, "important");
      this.emit("resize", { height });
    } else if (EVENTS.has(type)) {
      this.emit(type, detail);
    }
  }

  async renew() {
    const session = await this.session();
    if (this.destroyed) return;
    this.send(session ? { type: "session", secret: session.secret } : { type: "session-unavailable" });
  }

  send(message) {
    if (!this.destroyed) this.port?.postMessage(message);
  }

  emit(name, detail) {
    this.element.dispatchEvent(new CustomEvent(`conduit:${name}`, { bubbles: true, composed: true, detail }));
    try {
      this.onEvent?.(name, detail);
    } catch (error) {
      console.error("conduit: onEvent failed", error);
    }
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    this.port?.close();
    for (const channel of this.channels) channel.port1.close();
    this.channels = [];
    if (this.iframe) {
      this.iframe.removeEventListener("load", this.onLoad);
      this.iframe.remove();
      this.iframe = null;
    }
    if (mounted.get(this.element) === this) mounted.delete(this.element);
  }
}

/** `session-url` as a fetchSession: a POST to the host's own backend. */
function sessionFrom(url, instance) {
  return async () => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ instance }),
    });
    if (!response.ok) throw new Error(`the session address answered HTTP ${response.status}`);
    return response.json();
  };
}

const ATTRIBUTES = APPEARANCE.map((name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

class ConduitInstanceSettings extends HTMLElement {
  static get observedAttributes() {
    return ["instance", "session-url", ...ATTRIBUTES];
  }

  connectedCallback() {
    if (getComputedStyle(this).display === "inline") this.style.display = "block";
    this.connected = true;
    this.restart();
  }

  disconnectedCallback() {
    this.connected = false;
    this.handle?.destroy();
    this.handle = null;
  }

  attributeChangedCallback(name, before, after) {
    // Before it is connected (while the element upgrades, each attribute
    // comes here): connecting mounts it, once.
    if (!this.connected || before === after) return;
    if (name === "instance" || name === "session-url") this.restart();
    else this.handle?.update({ appearance: this.appearance() });
  }

  appearance() {
    const appearance = {};
    APPEARANCE.forEach((name, i) => {
      const value = this.getAttribute(ATTRIBUTES[i]);
      if (value !== null) appearance[name] = value;
    });
    return appearance;
  }

  restart() {
    this.handle?.destroy();
    this.handle = null;
    const instance = this.getAttribute("instance");
    const address = this.getAttribute("session-url");
    const url = address === null ? null : new URL(address, document.baseURI);
    if (!url || url.origin !== location.origin) {
      this.dispatchEvent(new CustomEvent("conduit:error", {
        bubbles: true,
        composed: true,
        detail: { message: "session-url must be an address on this site, where your backend starts conduit sessions." },
      }));
      return;
    }
    try {
      this.handle = mount(this, { instance, fetchSession: sessionFrom(url, Number(instance)), appearance: this.appearance() });
    } catch (error) {
      this.dispatchEvent(new CustomEvent("conduit:error", { bubbles: true, composed: true, detail: { message: error.message } }));
    }
  }

  requestSave() {
    this.handle?.requestSave();
  }

  discard() {
    this.handle?.discard();
  }

  update(options) {
    this.handle?.update(options);
  }
}

if (!customElements.get("conduit-instance-settings")) {
  customElements.define("conduit-instance-settings", ConduitInstanceSettings);
}
