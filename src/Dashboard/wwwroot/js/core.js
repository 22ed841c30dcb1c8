// CrowdWatch web map, the page's state, the few helpers every part uses, and the API client.
import { TEXT } from './i18n.js';

export const LEVELS = ['none', 'blue', 'yellow', 'orange', 'red'];
export const LEVEL_COLOURS = { none: '#6b7785', blue: '#1e6fd9', yellow: '#f2c500', orange: '#ff7f00', red: '#d7191c' };

export const state = {
  lang: localStorage.getItem('cw.lang') || 'zh',
  area: null, selectedCell: null, cells: new Map(), walkable: new Map(), heat: new Map(), zones: [], markers: [], alerts: new Map(), feed: 0,
  timeline: { observed: [], forecast: [] }, live: true, selectedZone: null, frames: 0, connection: null,
};
window.cw = state; // for the browser tests and for people poking at the wall screen

export const $ = (id) => document.getElementById(id);

// Markup built only by html``: every value put into it is escaped, so text from the API (an operator's note, a zone's
// name, a scenario's title) shows as text and never runs as markup.
class Markup { constructor(text) { this.text = text; } toString() { return this.text; } }
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
export const escapeHtml = (v) => String(v ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
const part = (v) => (v instanceof Markup ? v.text : Array.isArray(v) ? v.map(part).join('') : escapeHtml(v));
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => { out += part(v) + strings[i + 1]; });
  return new Markup(out);
}
// The only way the page writes markup: html`` or escaped text.
export function setHtml(el, markup) { el.innerHTML = part(markup); }
export const t = (key) => TEXT[state.lang][key];
export const fmt = (v, d = 0) => (v === null || v === undefined ? '—' : Number(v).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: d, minimumFractionDigits: d }));
export const localDateTime = (iso) => (iso ? iso.substring(0, 16).replace('T', ' ') : '');
// An instant in the area's own time zone (the API's local labels already are; UTC instants are not).
export const zoneTime = (instant) => new Date(instant).toLocaleTimeString('en-GB', { timeZone: state.area?.timeZone || undefined, hour: '2-digit', minute: '2-digit', hour12: false });
export const zoneDateTime = (instant) => new Date(instant).toLocaleString('sv-SE', { timeZone: state.area?.timeZone || undefined, hour12: false }).substring(0, 16);

export async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const key = $('key').value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let detail = `${response.status}`;
    try { const p = await response.json(); detail = `${response.status} ${p.title || ''}: ${p.detail || ''}`; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.headers.get('content-type')?.includes('json') ? response.json() : response.text();
}
