// CrowdWatch web map: the live heat map, zones with capacity gauges, the time slider over past and forecast slots,
// a zone's chart, and the alert panel. Everything comes from this host: the API, the live hub, the sample's GeoJSON.
import * as maplibregl from './lib/maplibre-gl/maplibre-gl.mjs';

const LEVELS = ['none', 'blue', 'yellow', 'orange', 'red'];
const LEVEL_COLOURS = { none: '#6b7785', blue: '#1e6fd9', yellow: '#f2c500', orange: '#ff7f00', red: '#d7191c' };
const TEXT = {
  zh: {
    title: 'CrowdWatch 人群监测', operatorKey: '值班员密钥', live: '实时', alerts: '预警', chart: '区域人数', cellChart: '网格人数', noAlerts: '暂无预警',
    acknowledge: '确认', resolve: '解除', history: '记录', note: '备注（可选）', people: '人', density: '人/m²', capacityUse: '容量',
    trend: '趋势', perHour: '/小时', peak: '预计峰值', at: '于', forecast: '预测', observed: '观测', band: '80% 区间',
    acknowledged: '已确认', active: '待处理', open: '待处理', escalated: '已升级', resolved: '已解除', expired: '已过期', needKey: '请先输入值班员密钥', dataGap: '数据中断，最新数据截至', densityFlagged: '数据超出人群可能的密度（已封顶），请检查数据源',
    legend: '人/可步行 m²', levels: { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色', none: '正常' },
    banner: (a) => `${a.levelName}预警：${a.name} — 密度 ${a.density} 人/m²`, lowDensity: '人数过少（不显示）',
    connected: '已连接', connecting: '连接中', reconnecting: '重新连接中', disconnected: '已断开', forecastSlot: '（预测）',
    lang: 'English', scenarios: '情景推演', runScenario: '运行', play: '播放', pause: '暂停', scenarioSlot: '（情景）', running: '计算中…',
    scenarioHint: '情景 JSON（见 README“情景推演”）：时段、活动、封闭、限流、客流变化；可用数组并列比较多个情景。需要值班员密钥。',
    zone: '区域', maxLevel: '最高等级', peakAt: '峰值（时间）', firstWarning: '首次预警', firstRed: '首次红色', baselineRed: '基线红色', limit: '建议限流',
    from: '开始', to: '结束', moreVisitors: '客流变化', event: '活动', closure: '封闭', admission: '限流', arrivalMinutes: '提前到达（分钟）',
    applyForm: '写入 JSON', allZones: '全部区域', noZone: '（无）',
    perMinute: '人/分', withLimits: '按建议限流后最高等级', baseline: '基线', noRoom: '因满员未能进入',
  },
  en: {
    title: 'CrowdWatch', operatorKey: 'Operator key', live: 'Live', alerts: 'Warnings', chart: 'Zone people', cellChart: 'Cell people', noAlerts: 'No warnings',
    acknowledge: 'Acknowledge', resolve: 'Resolve', history: 'History', note: 'Note (optional)', people: 'people', density: 'persons/m²', capacityUse: 'capacity',
    trend: 'trend', perHour: '/h', peak: 'expected peak', at: 'at', forecast: 'forecast', observed: 'observed', band: '80% interval',
    acknowledged: 'acknowledged', active: 'active', open: 'open', escalated: 'escalated', resolved: 'resolved', expired: 'expired', needKey: 'Enter an operator key first', dataGap: 'no data since', densityFlagged: 'data above what a crowd can hold (capped): check the feed',
    legend: 'persons per walkable m²', levels: { blue: 'Blue', yellow: 'Yellow', orange: 'Orange', red: 'Red', none: 'Normal' },
    banner: (a) => `${a.levelName} warning: ${a.name} — density ${a.density} persons/m²`, lowDensity: 'too few people to show',
    connected: 'connected', connecting: 'connecting', reconnecting: 'reconnecting', disconnected: 'disconnected', forecastSlot: ' (forecast)',
    lang: '中文', scenarios: 'Scenario planning', runScenario: 'Run', play: 'Play', pause: 'Pause', scenarioSlot: ' (scenario)', running: 'running…',
    scenarioHint: 'A scenario as JSON (see README, Scenario planning): window, events, closures, admission limits, changed crowds; an array compares several. Needs an operator key.',
    zone: 'zone', maxLevel: 'max level', peakAt: 'peak (at)', firstWarning: 'first warning', firstRed: 'first Red', baselineRed: 'baseline Red', limit: 'recommended limit',
    from: 'From', to: 'To', moreVisitors: 'More (or fewer) visitors', event: 'Event', closure: 'Closure', admission: 'Admission limit', arrivalMinutes: 'arriving over (min)',
    applyForm: 'Write the JSON', allZones: 'everywhere', noZone: '(none)',
    perMinute: '/min', withLimits: 'highest level with the recommended limits', baseline: 'baseline', noRoom: 'found no room',
  },
};

const state = {
  lang: localStorage.getItem('cw.lang') || 'zh',
  area: null, selectedCell: null, cells: new Map(), walkable: new Map(), heat: new Map(), zones: [], markers: [], alerts: new Map(), feed: 0,
  timeline: { observed: [], forecast: [] }, live: true, selectedZone: null, frames: 0, connection: null,
};
window.cw = state; // for the browser tests and for people poking at the wall screen

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[state.lang][key];
const fmt = (v, d = 0) => (v === null || v === undefined ? '—' : Number(v).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: d, minimumFractionDigits: d }));
const localDateTime = (iso) => (iso ? iso.substring(0, 16).replace('T', ' ') : '');
// An instant in the area's own time zone (the API's local labels already are; UTC instants are not).
const zoneTime = (instant) => new Date(instant).toLocaleTimeString('en-GB', { timeZone: state.area?.timeZone || undefined, hour: '2-digit', minute: '2-digit', hour12: false });
const zoneDateTime = (instant) => new Date(instant).toLocaleString('sv-SE', { timeZone: state.area?.timeZone || undefined, hour12: false }).substring(0, 16);

async function api(path, options = {}) {
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

// ---- the map ---------------------------------------------------------------------------------------------------

function style(basemap) {
  return {
    version: 8,
    sources: { basemap: { type: 'geojson', data: basemap } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#1d2630' } },
      { id: 'water', type: 'fill', source: 'basemap', filter: ['all', ['==', ['get', 'layer'], 'water'], ['==', ['geometry-type'], 'Polygon']], paint: { 'fill-color': '#1f4868' } },
      { id: 'roads', type: 'line', source: 'basemap', filter: ['==', ['get', 'layer'], 'road'], paint: { 'line-color': '#55626f', 'line-width': 2 } },
      { id: 'bridges', type: 'line', source: 'basemap', filter: ['==', ['get', 'layer'], 'bridge'], paint: { 'line-color': '#8a96a3', 'line-width': 2.5, 'line-dasharray': [2, 1] } },
    ],
  };
}

function centroid(ring) {
  let x = 0; let y = 0;
  for (let i = 0; i < ring.length - 1; i++) { x += ring[i][0]; y += ring[i][1]; }
  return [x / (ring.length - 1), y / (ring.length - 1)];
}

function heatData() {
  const cells = []; const points = [];
  for (const c of state.heat.values()) {
    const geometry = state.cells.get(c.c);
    if (!geometry || (c.p === 0 && c.d === 0)) continue;
    const low = c.p === null;
    const props = { cell: c.c, people: c.p, density: c.d ?? 0, level: c.l, low };
    cells.push({ type: 'Feature', geometry, properties: props });
    if (!low) points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: centroid(geometry.coordinates[0]) }, properties: props });
  }
  return { cells: { type: 'FeatureCollection', features: cells }, points: { type: 'FeatureCollection', features: points } };
}

function redrawHeat() {
  const data = heatData();
  state.map.getSource('heat')?.setData(data.cells);
  state.map.getSource('heat-points')?.setData(data.points);
}

function addLiveLayers(map, zones) {
  map.addSource('heat', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('heat-points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('zones', { type: 'geojson', data: zones });
  map.addLayer({
    id: 'heat-glow', type: 'heatmap', source: 'heat-points',
    paint: {
      'heatmap-weight': ['interpolate', ['linear'], ['get', 'density'], 0, 0.05, 0.5, 0.4, 2, 1],
      'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 10, 13, 24, 16, 60],
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 1.5], 'heatmap-opacity': 0.7,
      'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.2, '#fecc5c', 0.5, '#fd8d3c', 0.8, '#f03b20', 1, '#bd0026'],
    },
  });
  map.addLayer({
    id: 'cells-fill', type: 'fill', source: 'heat',
    paint: {
      // Nearly empty cells stay nearly clear, so that the crowded ones stand out on a wall screen.
      'fill-color': ['case', ['get', 'low'], '#7d8793',
        ['interpolate', ['linear'], ['get', 'density'], 0, 'rgba(255,255,178,0)', 0.1, 'rgba(255,255,178,0.35)', 0.5, '#fecc5c', 1.5, '#fd8d3c', 3, '#f03b20', 4.5, '#bd0026']],
      'fill-opacity': ['case', ['get', 'low'], 0.12, 0.75],
    },
  });
  map.addLayer({
    id: 'cells-level', type: 'line', source: 'heat', filter: ['>', ['get', 'level'], 0],
    paint: { 'line-width': 2.5, 'line-color': ['match', ['get', 'level'], 1, LEVEL_COLOURS.blue, 2, LEVEL_COLOURS.yellow, 3, LEVEL_COLOURS.orange, LEVEL_COLOURS.red] },
  });
  map.addLayer({ id: 'zones-line', type: 'line', source: 'zones', paint: { 'line-color': '#e8edf2', 'line-width': 1.5, 'line-dasharray': [3, 2] } });
  map.on('click', 'cells-fill', (e) => {
    const p = e.features[0].properties;
    selectCell(Number(p.cell)).catch(() => {});
    new maplibregl.Popup().setLngLat(e.lngLat).setHTML(p.low === true || p.low === 'true'
      ? `#${p.cell}: ${t('lowDensity')}`
      : `#${p.cell}: ${fmt(p.people)} ${t('people')}, ${fmt(p.density, 2)} ${t('density')}`).addTo(map);
  });
}

// ---- zones and their gauges ------------------------------------------------------------------------------------

async function loadZones() {
  state.zones = await api(`/api/areas/${state.area.name}/zones`);
  drawZoneMarkers();
}

function drawZoneMarkers() {
  const outlines = state.zoneShapes;
  for (const m of state.markers) m.remove();
  state.markers = [];
  for (const z of state.zones) {
    const feature = outlines?.features?.find((f) => f.properties.name === z.name);
    if (!feature) continue;
    const ring = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates[0] : feature.geometry.coordinates[0][0];
    const el = document.createElement('div');
    el.className = 'zone-marker';
    el.dataset.zone = z.name;
    el.dataset.level = z.level;
    const use = z.capacityUse ?? (z.capacity && z.people ? z.people / z.capacity : null);
    el.innerHTML = `<div>${state.lang === 'zh' ? z.nameZh : z.nameEn}${use !== null ? ` · ${fmt(use * 100)}%` : ''}</div><div class="gauge"><b style="width:${Math.min(100, (use ?? 0) * 100)}%"></b></div>`;
    el.title = `${z.people === null ? t('lowDensity') : `${fmt(z.people)} ${t('people')}, ${fmt(z.density, 2)} ${t('density')}`}${z.capacity ? ` / ${fmt(z.capacity)}` : ''}`;
    el.addEventListener('click', () => selectZone(z.name));
    state.markers.push(new maplibregl.Marker({ element: el }).setLngLat(centroid(ring)).addTo(state.map));
  }
}

// ---- time slider -----------------------------------------------------------------------------------------------

async function loadTimeline() {
  state.timeline = await api(`/api/areas/${state.area.name}/timeline`);
  const all = [...state.timeline.observed, ...state.timeline.forecast.filter((s) => !state.timeline.observed.includes(s))];
  state.slots = all;
  const slider = $('slider');
  slider.max = String(Math.max(0, all.length - 1));
  if (state.live) slider.value = String(Math.max(0, state.timeline.observed.length - 1));
  showSliderLabel();
}

function showSliderLabel() {
  if (state.scenario) { $('slider-label').textContent = `${localDateTime(state.scenario.times[Number($('slider').value)])}${t('scenarioSlot')}`; return; }
  const slot = state.slots?.[Number($('slider').value)];
  const isForecast = slot && !state.timeline.observed.includes(slot);
  $('slider-label').textContent = slot ? `${localDateTime(slot)}${isForecast ? t('forecastSlot') : ''}` : '';
}

async function showSlot(index) {
  const slot = state.slots[index];
  if (!slot) return;
  state.live = index >= state.timeline.observed.length - 1 && state.timeline.observed.includes(slot);
  const forecast = !state.timeline.observed.includes(slot);
  const geo = await api(`/api/areas/${state.area.name}/${forecast ? 'forecasts/heatmap' : 'heatmap'}?slot=${encodeURIComponent(slot)}`);
  const parsed = typeof geo === 'string' ? JSON.parse(geo) : geo;
  state.heat = new Map(parsed.features.map((f) => [f.properties.cell, {
    c: f.properties.cell, p: f.properties.people ?? null, d: f.properties.density ?? null, l: Math.max(0, LEVELS.indexOf(f.properties.level ?? 'none')),
  }]));
  $('slot-label').textContent = `${localDateTime(slot)}${forecast ? t('forecastSlot') : ''}`;
  redrawHeat();
}

// ---- the chart of a zone ---------------------------------------------------------------------------------------

async function selectZone(name) {
  if (state.scenario) { state.scenarioZone = name; drawScenarioChart(); return; }
  state.selectedZone = name;
  state.selectedCell = null;
  await drawChart();
}

async function selectCell(id) {
  state.selectedCell = id;
  await drawChart();
}

// The chart's canvas cleared, its people scale up to vmax and dashed lines where the levels begin (people, Blue..Red).
function chartFrame(vmax, levels) {
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
async function drawChart() {
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
  $('chart-legend').innerHTML = `<span><i style="background:#e8edf2"></i>${t('observed')}</span> <span><i style="background:#fd8d3c"></i>${t('forecast')}</span> <span><i style="background:rgba(253,141,60,.35)"></i>${t('band')}</span>`;
}

// ---- alerts ----------------------------------------------------------------------------------------------------

function levelName(level) { return t('levels')[level] || level; }

function renderAlerts() {
  const list = $('alerts');
  // As the API orders them: level, then density, then capacity use.
  const alerts = [...state.alerts.values()].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || b.density - a.density || (b.capacityUse ?? 0) - (a.capacityUse ?? 0));
  list.innerHTML = '';
  if (alerts.length === 0) { list.innerHTML = `<li class="empty">${t('noAlerts')}</li>`; return; }
  for (const a of alerts) {
    const li = document.createElement('li');
    li.className = 'alert';
    li.dataset.id = a.id; li.dataset.level = a.level; li.dataset.state = a.state.toLowerCase(); li.dataset.place = a.place;
    const name = state.lang === 'zh' ? a.nameZh : a.nameEn;
    const instruction = state.lang === 'zh' ? a.instructionZh : a.instructionEn;
    li.innerHTML = `
      <div class="head"><span>${name}</span><span class="level" style="background:${LEVEL_COLOURS[a.level]}">${levelName(a.level)}</span></div>
      <div class="facts"><span class="state">${t(a.state) || a.state}</span> · ${a.density == null ? t('lowDensity') : `${fmt(a.density, 2)} ${t('density')}`}${a.capacityUse != null ? ` · ${t('capacityUse')} ${fmt(a.capacityUse * 100)}%` : ''}
        ${a.trendPerHour != null ? `· ${t('trend')} ${a.trendPerHour >= 0 ? '+' : ''}${fmt(a.trendPerHour, 2)}${t('perHour')}` : ''}${a.peakDensity != null ? ` · ${t('peak')} ${fmt(a.peakDensity, 2)} (${fmt(a.peakLow, 2)}–${fmt(a.peakHigh, 2)}) ${t('at')} ${zoneTime(a.peakAt)}` : ''}</div>
      ${a.dataGapSince ? `<div class="data-gap">${t('dataGap')} ${zoneTime(a.dataGapSince)}</div>` : ''}
      ${a.densityFlagged ? `<div class="data-gap">${t('densityFlagged')}</div>` : ''}
      ${a.reason ? `<div class="reason">${a.reason}</div>` : ''}
      ${instruction ? `<div class="instruction">${instruction}</div>` : ''}
      <textarea class="note" rows="1" placeholder="${t('note')}" maxlength="1000"></textarea>
      <div class="actions"><button class="ack" type="button">${t('acknowledge')}</button><button class="resolve" type="button">${t('resolve')}</button><button class="show-history" type="button">${t('history')}</button></div>
      <div class="error" role="status"></div><ol class="history" hidden></ol>`;
    li.querySelector('.ack').addEventListener('click', () => act(a.id, 'acknowledge', li));
    li.querySelector('.resolve').addEventListener('click', () => act(a.id, 'resolve', li));
    li.querySelector('.show-history').addEventListener('click', () => showHistory(a.id, li));
    li.addEventListener('dblclick', () => selectZone(a.place.replace(/^zone:/, '')));
    list.appendChild(li);
  }
}

async function act(id, what, li) {
  const error = li.querySelector('.error');
  if (!$('key').value.trim()) { error.textContent = t('needKey'); return; }
  try {
    const note = li.querySelector('.note').value.trim();
    await api(`/api/alerts/${id}/${what}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: note || null }) });
    error.textContent = '';
    await loadAlerts();
  } catch (e) { error.textContent = e.message; }
}

async function showHistory(id, li) {
  const ol = li.querySelector('.history');
  const events = await api(`/api/alerts/${id}`);
  ol.innerHTML = events.map((e) => `<li>${zoneDateTime(e.at)} ${e.kind} ${levelName(e.level)} — ${e.actor}${e.note ? `: ${e.note}` : ''}</li>`).join('');
  ol.hidden = !ol.hidden;
}

async function loadAlerts() {
  const open = await api('/api/alerts');
  state.alerts = new Map(open.filter((a) => a.area === state.area.name).map((a) => [a.id, a]));
  renderAlerts();
}

let audio;
function beep(level) {
  try {
    audio ??= new AudioContext();
    const o = audio.createOscillator(); const g = audio.createGain();
    o.frequency.value = level === 'red' ? 880 : 660; g.gain.value = 0.15;
    o.connect(g); g.connect(audio.destination); o.start(); o.stop(audio.currentTime + (level === 'red' ? 0.9 : 0.5));
  } catch { /* no sound device: the banner still shows */ }
}

function onAlertEvent(e) {
  state.feed = Math.max(state.feed, e.feed);
  const severe = e.level === 'orange' || e.level === 'red';
  const known = state.alerts.get(e.alertId);
  const newlySevere = severe && (e.kind === 'raised' || (e.kind === 'updated' && known && LEVELS.indexOf(known.level) < LEVELS.indexOf(e.level)) || (!known && e.kind !== 'resolved' && !e.kind.startsWith('data')));
  if (newlySevere) {
    const banner = $('banner');
    banner.dataset.level = e.level;
    banner.textContent = TEXT[state.lang].banner({ levelName: levelName(e.level), name: state.lang === 'zh' ? e.nameZh : e.nameEn, density: fmt(e.density, 2) });
    banner.hidden = false;
    clearTimeout(state.bannerTimer);
    state.bannerTimer = setTimeout(() => { banner.hidden = true; }, 60000);
    beep(e.level);
  }
  loadAlerts().catch(() => {});
}

// ---- live connection -------------------------------------------------------------------------------------------

// A frame comes column by column: cell ids, people (null: under k), levels; density is people over the cell's walkable m².
function applyFrame(frame) {
  for (let i = 0; i < frame.cells.length; i++) {
    const id = frame.cells[i]; const people = frame.people[i];
    if (people === 0) { state.heat.delete(id); continue; }
    const walkable = state.walkable.get(id) || 0;
    state.heat.set(id, { c: id, p: people, d: people === null ? null : (walkable > 0 ? people / walkable : 0), l: frame.levels[i] });
  }
}

function setStatus(s) { $('status').dataset.state = s; $('status').textContent = t(s); }

async function connect() {
  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/live').withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000]).build();
  state.connection = connection;
  connection.on('Alert', onAlertEvent);
  connection.on('HeatFrame', (frame) => {
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
    for (const e of await connection.invoke('Missed', state.area.name, state.feed, null)) onAlertEvent(e);
    const frame = await connection.invoke('Frame', state.area.name);
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
  connection.onclose(() => { setStatus('disconnected'); setTimeout(connect, 5000); });
  setStatus('connecting');
  await connection.start();
  setStatus('connected');
  await resubscribe();
}

// ---- scenario planning: run a what-if, play it back on the map, compare it with its baseline -----------------------

// A starting point: the evening of the next National Day with 30% more people in the busiest zone.
function exampleScenario() {
  const zone = state.zones.slice().sort((x, y) => (y.capacity ?? 0) - (x.capacity ?? 0)).find((z) => z.name === 'hongyadong') || state.zones[0];
  // The host's clock, not the browser's: a replay of last year's evening plans for the next National Day after it.
  const now = new Date(state.timeline?.now || Date.now());
  const year = now.getFullYear() + (now.getMonth() >= 9 ? 1 : 0);
  return {
    name: `National Day ${year}, 30% more${zone ? ` at ${zone.nameEn}` : ''}`, from: `${year}-10-01T12:00`, to: `${year}-10-02T00:00`, stepMinutes: 5,
    dwellMinutes: 90, changes: zone ? [{ zone: zone.name, factor: 1.3 }] : [{ factor: 1.3 }], events: [], closures: [], admissions: [], recommend: true,
  };
}

// The form fills in the common questions; the JSON beside it is what runs, for anything the form does not ask.
function fillZoneSelects() {
  for (const select of document.querySelectorAll('.zone-select')) {
    const keep = select.value;
    const first = select.dataset.all ? `<option value="">${t('allZones')}</option>` : `<option value="">${t('noZone')}</option>`;
    select.innerHTML = first + state.zones.map((z) => `<option value="${z.name}">${state.lang === 'zh' ? z.nameZh : z.nameEn}</option>`).join('');
    select.value = keep;
  }
}

function formFromScenario(s) {
  $('sf-from').value = s.from; $('sf-to').value = s.to;
  const change = s.changes?.[0];
  $('sf-change-zone').value = change?.zone || '';
  $('sf-change-percent').value = change ? Math.round((change.factor - 1) * 100) : 0;
}

function scenarioFromForm() {
  const from = $('sf-from').value; const to = $('sf-to').value;
  const day = from.substring(0, 10);
  // A time of day on the window's first day, or the next day when it falls before the window starts.
  const at = (time) => {
    if (!time) return null;
    const first = `${day}T${time}`;
    if (first >= from) return first;
    const next = new Date(`${day}T00:00:00Z`); next.setUTCDate(next.getUTCDate() + 1);
    return `${next.toISOString().substring(0, 10)}T${time}`;
  };
  const percent = Number($('sf-change-percent').value || 0);
  const scenario = {
    name: [percent ? `${percent > 0 ? '+' : ''}${percent}%${$('sf-change-zone').value ? ` ${$('sf-change-zone').value}` : ''}` : 'baseline',
      $('sf-event-zone').value && `event at ${$('sf-event-zone').value}`, $('sf-closure-zone').value && `${$('sf-closure-zone').value} closed`,
      $('sf-admission-zone').value && `${$('sf-admission-zone').value} ${$('sf-admission-rate').value}/min`].filter(Boolean).join(', '),
    from, to, stepMinutes: 5, dwellMinutes: 90,
    changes: percent ? [{ ...($('sf-change-zone').value ? { zone: $('sf-change-zone').value } : {}), factor: 1 + percent / 100 }] : [],
    events: [], closures: [], admissions: [], recommend: true,
  };
  if ($('sf-event-zone').value && Number($('sf-event-attendance').value) > 0) {
    scenario.events.push({ name: `event at ${$('sf-event-zone').value}`, zone: $('sf-event-zone').value, attendance: Number($('sf-event-attendance').value),
      start: at($('sf-event-start').value) || from, end: at($('sf-event-end').value) || to, arrivalMinutes: Number($('sf-event-arrival').value || 60),
      departureMinutes: 45, profile: $('sf-event-profile').value });
  }
  if ($('sf-closure-zone').value) {
    scenario.closures.push({ zone: $('sf-closure-zone').value, from: at($('sf-closure-from').value) || from, to: at($('sf-closure-to').value) || to });
  }
  if ($('sf-admission-zone').value && $('sf-admission-rate').value !== '') {
    scenario.admissions.push({ zone: $('sf-admission-zone').value, peoplePerMinute: Number($('sf-admission-rate').value) });
  }
  return scenario;
}

async function runScenario() {
  const status = $('scenario-status');
  status.className = ''; status.textContent = t('running');
  // Sent as written: the host reads comments and names the line of any mistake.
  const body = $('scenario-json').value;
  if (!$('key').value.trim()) { status.className = 'error'; status.textContent = t('needKey'); throw new Error('no key'); }
  const key = $('key').value.trim();
  const response = await fetch(`/api/areas/${state.area.name}/scenarios`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    status.className = 'error';
    status.textContent = `${response.status} ${answer.title || ''}: ${(answer.problems || [answer.detail || '']).join(' · ')}`;
    throw new Error(status.textContent);
  }
  status.textContent = answer.scenarios.map((r) => `${r.name}: ${fmt(r.simulateMs)} ms`).join(' · ');
  state.scenarios = answer.scenarios;
  state.scenario = answer.scenarios[0];
  state.scenarioZone = state.scenario.zones.slice().sort((a, b) => LEVELS.indexOf(b.maxLevel) - LEVELS.indexOf(a.maxLevel) || b.peakDensity - a.peakDensity)[0]?.zone;
  const slider = $('slider');
  slider.max = String(state.scenario.times.length - 1);
  // Start at the worst moment of the worst zone.
  const worst = state.scenario.zones.find((z) => z.zone === state.scenarioZone);
  slider.value = String(Math.max(0, state.scenario.times.indexOf(worst?.peakAt)));
  // Look at it: the map moves to that zone.
  const outline = state.zoneShapes?.features?.find((f) => f.properties.name === state.scenarioZone);
  if (outline) state.map.jumpTo({ center: centroid(outline.geometry.type === 'Polygon' ? outline.geometry.coordinates[0] : outline.geometry.coordinates[0][0]), zoom: 14.5 });
  $('play').hidden = false;
  $('play').textContent = t('play');
  renderScenarioResults();
  showScenarioPoint(Number(slider.value));
}

function levelOf(density) { return density >= 4 ? 4 : density >= 3 ? 3 : density >= 2 ? 2 : density >= 1.5 ? 1 : 0; }

function showScenarioPoint(i) {
  const s = state.scenario;
  if (!s || !s.frames) return;
  state.scenarioPoint = i;
  state.heat = new Map();
  const people = s.frames.people[i];
  for (let k = 0; k < s.frames.cells.length; k++) {
    const id = s.frames.cells[k]; const p = people[k];
    if (!p) continue;
    const walkable = state.walkable.get(id) || 0;
    const d = walkable > 0 ? p / walkable : 0;
    state.heat.set(id, { c: id, p, d, l: levelOf(d) });
  }
  redrawHeat();
  $('slot-label').textContent = `${localDateTime(s.times[i])}${t('scenarioSlot')}`;
  showSliderLabel();
  // The zone gauges as the scenario has them at this point.
  state.zones = state.zones.map((z) => {
    const r = s.zones.find((x) => x.zone === z.name);
    if (!r) return z;
    const n = r.people[i];
    return { ...z, people: n, density: r.walkableM2 > 0 ? n / r.walkableM2 : 0, capacityUse: r.capacity ? n / r.capacity : null, level: r.levels[i] };
  });
  drawZoneMarkers();
  drawScenarioChart();
}

function playScenario() {
  if (state.playing) { clearInterval(state.playing); state.playing = null; $('play').textContent = t('play'); return; }
  const slider = $('slider');
  if (Number(slider.value) >= Number(slider.max)) slider.value = '0';
  $('play').textContent = t('pause');
  state.playing = setInterval(() => {
    const next = Number(slider.value) + 1;
    if (next > Number(slider.max)) { playScenario(); return; }
    slider.value = String(next);
    showScenarioPoint(next);
  }, 150);
}

function leaveScenario() {
  if (!state.scenario) return;
  if (state.playing) playScenario();
  state.scenario = null;
  $('play').hidden = true;
  loadZones().catch(() => {});
}

function renderScenarioResults() {
  const list = state.scenarios || [];
  const el = $('scenario-results');
  const badge = (level) => `<span class="lv" style="background:${LEVEL_COLOURS[level]}">${levelName(level)}</span>`;
  const hhmm = (iso) => (iso ? iso.substring(11, 16) : '—');
  el.innerHTML = list.map((r, n) => {
    const rows = r.zones.filter((z) => z.maxLevel !== 'none' || z.baselineFirstRedAt)
      .sort((a, b) => LEVELS.indexOf(b.maxLevel) - LEVELS.indexOf(a.maxLevel) || b.peakDensity - a.peakDensity)
      .map((z) => {
        const limit = r.advice?.limits.find((l) => l.zone === z.zone);
        return `<tr data-zone="${z.zone}" data-scenario="${n}"><td>${state.lang === 'zh' ? z.nameZh : z.nameEn}</td><td>${badge(z.maxLevel)}</td><td>${fmt(z.peakDensity, 2)} (${hhmm(z.peakAt)})</td>`
          + `<td>${z.firstWarning ? `${hhmm(z.firstWarning.at)} ${badge(z.firstWarning.level)}` : '—'}</td><td>${hhmm(z.firstWarningAt.red)}</td><td>${hhmm(z.baselineFirstRedAt)}</td>`
          + `<td>${limit ? `${fmt(limit.peoplePerMinute)} ${t('perMinute')}` : '—'}</td></tr>`;
      }).join('');
    const advice = r.advice ? `<div>${t('withLimits')}: ${badge(r.advice.maxLevelWith)}</div>` : '';
    return `<h3 data-scenario="${n}">${r.name}</h3><table class="scenario-table"><tr><th>${t('zone')}</th><th>${t('maxLevel')}</th><th>${t('peakAt')}</th><th>${t('firstWarning')}</th><th>${t('firstRed')}</th><th>${t('baselineRed')}</th><th>${t('limit')}</th></tr>${rows}</table>${advice}`
      + (r.noRoom > 0 ? `<div>${t('noRoom')}: ${fmt(r.noRoom)}</div>` : '');
  }).join('');
  for (const tr of el.querySelectorAll('tr[data-zone]')) {
    tr.addEventListener('click', () => {
      state.scenario = state.scenarios[Number(tr.dataset.scenario)];
      state.scenarioZone = tr.dataset.zone;
      showScenarioPoint(Math.min(state.scenarioPoint ?? 0, state.scenario.times.length - 1));
    });
  }
}

// The chosen zone through every scenario run: people, the baseline, with the recommended limits (dotted), level lines.
function drawScenarioChart() {
  const list = state.scenarios || [];
  const first = state.scenario;
  const z = first?.zones.find((x) => x.zone === state.scenarioZone);
  if (!z) return;
  $('chart-title').textContent = `${t('chart')}: ${state.lang === 'zh' ? z.nameZh : z.nameEn}${t('scenarioSlot')}`;
  const zone = state.zones.find((x) => x.name === z.zone);
  const levels = zone ? zone.levelDensities.map((d, i) => Math.min(d * zone.walkableM2, zone.capacity ? zone.levelUses[i] * zone.capacity : Infinity)) : [];
  const series = [{ values: z.baselinePeople, colour: '#9aa8b6', dash: [], label: t('baseline') }];
  const palette = ['#fd8d3c', '#6baed6', '#c994c7', '#74c476'];
  list.forEach((r, n) => {
    const zz = r.zones.find((x) => x.zone === z.zone);
    series.push({ values: zz.people, colour: palette[n % palette.length], dash: [], label: r.name });
    const k = r.zones.findIndex((x) => x.zone === z.zone);
    if (r.advice?.zonePeopleWith && r.advice.limits.some((l) => l.zone === z.zone)) series.push({ values: r.advice.zonePeopleWith[k], colour: palette[n % palette.length], dash: [3, 3], label: `${r.name} · ${t('limit')}` });
  });
  const n = first.times.length;
  const { g, w, h, pad, y } = chartFrame(Math.max(1, ...series.flatMap((s) => s.values), ...levels.filter((v) => Number.isFinite(v))) * 1.05, levels);
  const x = (i) => pad + (i / Math.max(1, n - 1)) * (w - pad - 8);
  for (const s of series) {
    g.setLineDash(s.dash); g.strokeStyle = s.colour; g.lineWidth = 2; g.beginPath();
    s.values.forEach((v, i) => (i ? g.lineTo(x(i), y(v)) : g.moveTo(x(i), y(v))));
    g.stroke();
  }
  g.setLineDash([]);
  if (state.scenarioPoint !== undefined) { g.strokeStyle = '#e8edf2'; g.lineWidth = 1; g.beginPath(); g.moveTo(x(state.scenarioPoint), 4); g.lineTo(x(state.scenarioPoint), h - pad + 10); g.stroke(); }
  g.fillStyle = '#9aa8b6';
  g.fillText(first.times[0].substring(11, 16), pad, h - 6);
  g.fillText(first.times[n - 1].substring(11, 16), w - 40, h - 6);
  $('chart-legend').innerHTML = series.map((s) => `<span><i style="background:${s.colour}"></i>${s.label}</span>`).join(' ');
}

// ---- language --------------------------------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('lang').textContent = t('lang');
  const legend = $('legend');
  legend.innerHTML = `<div>${t('legend')}</div><div class="ramp"></div><div class="ticks"><span>0</span><span>1.5</span><span>3</span><span>4.5+</span></div>
    <div class="levels">${['blue', 'yellow', 'orange', 'red'].map((l, i) => `<span><i style="background:${LEVEL_COLOURS[l]}"></i>${levelName(l)} ≥${[1.5, 2, 3, 4][i]}</span>`).join('')}</div>`;
  if (state.connection) setStatus($('status').dataset.state);
  renderAlerts();
  if (state.map) drawZoneMarkers();
  if (state.zones.length) fillZoneSelects();
  if (state.scenario) { renderScenarioResults(); drawScenarioChart(); } else if (state.selectedZone || state.selectedCell !== null) drawChart().catch(() => {});
  showSliderLabel();
}

// ---- start -----------------------------------------------------------------------------------------------------

async function start() {
  $('key').value = sessionStorage.getItem('cw.key') || '';
  $('key').addEventListener('change', () => sessionStorage.setItem('cw.key', $('key').value.trim()));
  $('lang').addEventListener('click', () => { state.lang = state.lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('cw.lang', state.lang); applyLanguage(); });
  applyLanguage();
  const config = await api('/api/map-config');
  const areas = await api('/api/areas');
  state.area = areas.find((a) => a.name === (new URLSearchParams(location.search).get('area') || config.area)) || areas[0];
  $('area').textContent = state.area.name;
  const [basemap, zones, grid] = await Promise.all([
    api(`/api/areas/${state.area.name}/layers/basemap`).catch(() => ({ type: 'FeatureCollection', features: [] })),
    api(`/api/areas/${state.area.name}/layers/zones`).catch(() => ({ type: 'FeatureCollection', features: [] })),
    api(`/api/areas/${state.area.name}/layers/cells`),
  ]);
  const parse = (g) => (typeof g === 'string' ? JSON.parse(g) : g);
  for (const f of parse(grid).features) { state.cells.set(f.properties.cell, f.geometry); state.walkable.set(f.properties.cell, f.properties.walkable_m2); }
  const b = state.area.boundsWgs84;
  const map = new maplibregl.Map({
    container: 'map', style: config.styleUrl || style(parse(basemap)), bounds: [[b[0], b[1]], [b[2], b[3]]], attributionControl: false,
    preserveDrawingBuffer: true, // so that screenshots of the wall screen show the map
  });
  state.map = map;
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  await new Promise((resolve) => map.on('load', resolve));
  if (config.tileUrl) {
    map.addSource('tiles', { type: 'raster', tiles: [config.tileUrl], tileSize: 256 });
    map.addLayer({ id: 'tiles', type: 'raster', source: 'tiles' }, map.getLayer('water') ? 'water' : undefined);
  }
  state.zoneShapes = parse(zones);
  addLiveLayers(map, state.zoneShapes);
  state.mapReady = true;
  $('slider').addEventListener('input', () => { showSliderLabel(); if (state.scenario) showScenarioPoint(Number($('slider').value)); });
  $('slider').addEventListener('change', () => { if (!state.scenario) showSlot(Number($('slider').value)).catch(() => {}); });
  $('live').addEventListener('click', async () => { leaveScenario(); state.live = true; await loadTimeline(); await showSlot(Number($('slider').value)); });
  $('play').addEventListener('click', () => playScenario());
  $('scenario-run').addEventListener('click', () => runScenario().catch(() => {}));
  await loadZones();
  await loadTimeline();
  fillZoneSelects();
  const example = exampleScenario();
  formFromScenario(example);
  $('scenario-json').value = JSON.stringify(example, null, 2);
  $('scenario-apply').addEventListener('click', () => { $('scenario-json').value = JSON.stringify(scenarioFromForm(), null, 2); });
  if (state.timeline.observed.length) await showSlot(state.timeline.observed.length - 1);
  const hottest = state.zones.slice().sort((x, y) => (y.capacityUse ?? 0) - (x.capacityUse ?? 0))[0];
  if (hottest) await selectZone(hottest.name);
  await connect();
}

start().catch((e) => { $('slot-label').textContent = `error: ${e.message}`; console.error(e); });
