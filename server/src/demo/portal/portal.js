// The sample partner portal's event log: every conduit:* event the embedded
// elements dispatch (they bubble), with the instance and the event's detail.
const EVENTS = ["ready", "resize", "dirty", "test", "saved", "session-expired", "error"];
const log = document.getElementById("events");

function record(event) {
  const item = document.createElement("li");
  const instance = event.target instanceof Element ? event.target.getAttribute("instance") : "?";
  const time = new Date().toLocaleTimeString();
  item.textContent = `${time} instance ${instance}: ${event.type} ${JSON.stringify(event.detail ?? null)}`;
  log.append(item);
  item.scrollIntoView({ block: "nearest" });
}

for (const name of EVENTS) {
  document.addEventListener(`conduit:${name}`, record);
}
