// CrowdWatch web map, the chart of the selected zone or cell: observed people, the newest forecast and its band.
import { $, LEVELS, LEVEL_COLOURS, api, fmt, html, setHtml, state, t, zoneTime } from './core.js';
import { style } from './map.js';
import { drawScenarioChart } from './scenarios.js';

// ---- the chart of a zone ---------------------------------------------------------------------------------------

export async function selectZone(name) {
  if (state.scenario) { state.scenarioZone = name; drawScenarioChart(); return; }
  state.selectedZone = name;
  state.selectedCell = null;
  await drawChart();
}

export async function selectCell(id) {
  state.selectedCell = id;
  await drawChart();
}

// The chart's canvas cleared, its people scale up to vmax and dashed lines where the levels begin (people, Blue..Red).
export function chartFrame(vmax, levels) {
  const canvas = $('chart');
  const g = canvas.getContext('2d');
  const w = canvas.width; const h = canvas.height; const pad = 36;
  g.clearRect(0, 0, w, h);
  const y = (v) => h - pad + 10 - (v / vmax) * (h - pad - 10);
  g.font = '11px sans-serif'; g.fillStyle = '#9aa8b6';
  for (let i = 0; i <= 4; i++) { const v = (vmax * i) / 4; g.fillText(fmt(v), 2, y(v) + 4); }
  levels.forEach((p, i) => {
    if (!Number.isFinite(p) || p > vmax) return;
    g.strokeStyle = LEVEL_COLOURS[LEVELS[i + 1]]; g.setLineDash([4, 3]); g.beginPath(); g.moveTo(pad, y(p)); g.lineTo(w - 8, y(p)); g.stroke();
  });
  g.setLineDash([]);
  return { g, w, h, pad, y };
}

// The chart of the selected cell (after a click on it) or zone: observed people, the newest forecast and its band.
export async function drawChart() {
  const cell = state.selectedCell;
  const name = state.selectedZone;
  if (cell === null && !name) return;
  const zone = cell === null ? state.zones.find((z) => z.name === name) : null;
  $('chart-title').textContent = cell !== null
    ? `${t('cellChart')} #${cell}`
    : `${t('chart')}: ${zone ? (state.lang === 'zh' ? zone.nameZh : zone.nameEn) : name}`;
  const to = state.timeline.now;
  const from = new Date(new Date(to).getTime() - 12 * 3600 * 1000).toISOString();
  const place = cell !== null ? `cells/${cell}` : `zones/${encodeURIComponent(name)}`;
  const observed = await api(`/api/areas/${state.area.name}/counts/${place}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`).catch(() => []);
  const forecast = await api(`/api/areas/${state.area.name}/forecasts/${place}`).catch(() => ({ slots: [] }));
  const points = observed.map((o) => ({ t: new Date(o.slotStart).getTime(), v: o.people }));
  const ahead = forecast.slots.map((s) => ({ t: new Date(s.slotStart).getTime(), m: s.mean, lo: s.low80, hi: s.high80 }));
  const times = [...points.map((p) => p.t), ...ahead.map((a) => a.t)];
  if (times.length === 0) { chartFrame(1, []); return; }
  const values = [...points.map((p) => p.v ?? 0), ...ahead.map((a) => a.hi ?? a.m ?? 0)];
  const levelPeople = zone ? zone.levelDensities.map((d) => d * zone.walkableM2)
    : cell !== null ? [1.5, 2, 3, 4].map((d) => d * (state.walkable.get(cell) || 0)) : [];
  const t0 = Math.min(...times); const t1 = Math.max(...times);
  const { g, w, h, pad, y } = chartFrame(Math.max(1, ...values) * 1.1, levelPeople);
  const x = (tm) => pad + ((tm - t0) / Math.max(1, t1 - t0)) * (w - pad - 8);
  const band = ahead.filter((a) => a.lo !== null && a.hi !== null);
  if (band.length > 1) {
    g.fillStyle = 'rgba(253,141,60,0.25)'; g.beginPath();
    band.forEach((a, i) => (i ? g.lineTo(x(a.t), y(a.hi)) : g.moveTo(x(a.t), y(a.hi))));
    [...band].reverse().forEach((a) => g.lineTo(x(a.t), y(a.lo)));
    g.closePath(); g.fill();
  }
  const line = (series, colour, key) => {
    g.strokeStyle = colour; g.lineWidth = 2; g.beginPath();
    let started = false;
    for (const p of series) {
      if (p[key] === null || p[key] === undefined) { started = false; continue; }
      if (started) g.lineTo(x(p.t), y(p[key])); else g.moveTo(x(p.t), y(p[key]));
      started = true;
    }
    g.stroke();
  };
  line(points, '#e8edf2', 'v');
  // Each observed slot also as a dot: a single slot is no line.
  g.fillStyle = '#e8edf2';
  for (const p of points) if (p.v !== null && p.v !== undefined) { g.beginPath(); g.arc(x(p.t), y(p.v), 2.5, 0, 2 * Math.PI); g.fill(); }
  line(ahead, '#fd8d3c', 'm');
  g.fillStyle = '#9aa8b6';
  g.fillText(zoneTime(t0), pad, h - 6);
  g.fillText(zoneTime(t1), w - 48, h - 6);
  setHtml($('chart-legend'), html`<span><i style="background:#e8edf2"></i>${t('observed')}</span> <span><i style="background:#fd8d3c"></i>${t('forecast')}</span> <span><i style="background:rgba(253,141,60,.35)"></i>${t('band')}</span>`);
}
