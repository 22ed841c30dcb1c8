// CrowdWatch web map, the live connection: heat frames and alert events from the hub.
import { loadAlerts, onAlertEvent } from './alerts.js';
import { drawChart } from './charts.js';
import { $, localDateTime, state, t } from './core.js';
import { loadTimeline, loadZones, redrawHeat, showSliderLabel } from './map.js';

// ---- live connection -------------------------------------------------------------------------------------------

// A frame's cells come packed (see HeatFrame on the server): per cell two varints, the gap from the cell before, then
// 0 (under k: no number) or ((people + 1) << 3) | level. MessagePack brings bytes, JSON base64. Density is people over
// the cell's walkable m²; people 0 means the cell emptied.
export function applyFrame(frame) {
  const bytes = typeof frame.cells === 'string' ? Uint8Array.from(atob(frame.cells), (ch) => ch.charCodeAt(0)) : frame.cells;
  let at = 0; let id = 0;
  const take = () => {
    let value = 0; let scale = 1; let b;
    do { b = bytes[at++]; value += (b & 0x7f) * scale; scale *= 128; } while (b >= 0x80);
    return value;
  };
  for (let i = 0; i < frame.count; i++) {
    id += take(); const value = take();
    const people = value === 0 ? null : Math.floor(value / 8) - 1;
    if (people === 0) { state.heat.delete(id); continue; }
    const walkable = state.walkable.get(id) || 0;
    state.heat.set(id, { c: id, p: people, d: people === null ? null : (walkable > 0 ? people / walkable : 0), l: value % 8 });
  }
}

// MessagePack (the smaller, faster protocol the page uses when its script loaded) brings the server's property names
// (PascalCase) and instants as [Date, offset minutes]; the page reads what JSON brings: camelCase, ISO strings.
export function plain(v) {
  if (Array.isArray(v)) return v.length === 2 && v[0] instanceof Date && typeof v[1] === 'number' ? v[0].toISOString() : v.map(plain);
  if (ArrayBuffer.isView(v)) return v; // a frame's packed cells stay bytes
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k[0].toLowerCase() + k.slice(1), plain(x)]));
  return v;
}

export function setStatus(s) { $('status').dataset.state = s; $('status').textContent = t(s); }

export async function connect() {
  state.protocol = signalR.protocols?.msgpack ? 'messagepack' : 'json';
  // The API key, if one is entered, goes with the connection (as access_token on the WebSocket): an operator's gets
  // exact frames, anyone else k-suppressed ones.
  const key = sessionStorage.getItem('cw.key') || '';
  state.connectionKey = key;
  let builder = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/live', key ? { accessTokenFactory: () => sessionStorage.getItem('cw.key') || '' } : {})
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000]);
  if (state.protocol === 'messagepack') builder = builder.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol());
  const connection = builder.build();
  state.connection = connection;
  connection.on('Alert', (e) => onAlertEvent(plain(e)));
  connection.on('HeatFrame', (received) => {
    const frame = plain(received);
    if (frame.area !== state.area.name) return;
    state.frames++;
    state.lastFrame = frame;
    if (state.scenario) return; // the map is playing a scenario back; "Live" returns to the live map
    if (!state.live) { loadTimeline().catch(() => {}); return; }
    if (frame.full) state.heat = new Map();
    applyFrame(frame);
    $('slot-label').textContent = localDateTime(frame.slot);
    redrawHeat();
    // The frame's slot joins the slider here; the whole time line is fetched again only with a new forecast.
    if (!state.timeline.observed.includes(frame.slot)) {
      state.timeline.observed.push(frame.slot);
      state.slots = [...state.timeline.observed, ...state.timeline.forecast.filter((s) => !state.timeline.observed.includes(s))];
      $('slider').max = String(Math.max(0, state.slots.length - 1));
      $('slider').value = String(state.timeline.observed.length - 1);
      showSliderLabel();
    }
    loadZones().catch(() => {});
    if (state.selectedZone || state.selectedCell !== null) drawChart().catch(() => {});
  });
  connection.on('ForecastUpdated', () => {
    state.forecastNotices = (state.forecastNotices || 0) + 1;
    if (state.scenario) return;
    loadTimeline().catch(() => {});
    if (state.selectedZone || state.selectedCell !== null) drawChart().catch(() => {});
  });
  const resubscribe = async () => {
    await connection.invoke('Subscribe', state.area.name, null);
    // Whatever happened while we were away: missed alert events by feed number, and the whole newest frame.
    for (const e of await connection.invoke('Missed', state.area.name, state.feed, null)) onAlertEvent(plain(e));
    const frame = plain(await connection.invoke('Frame', state.area.name));
    if (frame && state.live && !state.scenario) {
      state.heat = new Map();
      applyFrame(frame);
      $('slot-label').textContent = localDateTime(frame.slot);
      redrawHeat();
    }
    await loadAlerts();
  };
  connection.onreconnecting(() => setStatus('reconnecting'));
  connection.onreconnected(async () => { setStatus('connected'); await resubscribe(); });
  connection.onclose(() => {
    if (state.connection !== connection) return; // replaced (a new key): the new one is on its way
    setStatus('disconnected'); setTimeout(connect, 5000);
  });
  setStatus('connecting');
  await connection.start();
  setStatus('connected');
  await resubscribe();
}

// A new key changes what the connection may see: connect again with it (the same key again changes nothing).
export async function reconnectWithKey() {
  if (!state.connection || (sessionStorage.getItem('cw.key') || '') === state.connectionKey) return;
  const old = state.connection;
  state.connection = null;
  setStatus('connecting');
  if (old) await old.stop().catch(() => {});
  await connect();
}
