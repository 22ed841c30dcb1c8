// CrowdWatch web map, scenario planning: run a what-if, play it back on the map, compare it with its baseline.
import { levelName } from './alerts.js';
import { chartFrame } from './charts.js';
import { $, LEVELS, LEVEL_COLOURS, api, fmt, html, localDateTime, setHtml, state, t } from './core.js';
import { centroid, drawZoneMarkers, loadZones, redrawHeat, showSliderLabel, style } from './map.js';

// ---- scenario planning: run a what-if, play it back on the map, compare it with its baseline -----------------------

// A starting point: the evening of the next National Day with 30% more people in the busiest zone.
export function exampleScenario() {
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
export function fillZoneSelects() {
  for (const select of document.querySelectorAll('.zone-select')) {
    const keep = select.value;
    const first = select.dataset.all ? html`<option value="">${t('allZones')}</option>` : html`<option value="">${t('noZone')}</option>`;
    setHtml(select, html`${first}${state.zones.map((z) => html`<option value="${z.name}">${state.lang === 'zh' ? z.nameZh : z.nameEn}</option>`)}`);
    select.value = keep;
  }
}

export function formFromScenario(s) {
  $('sf-from').value = s.from; $('sf-to').value = s.to;
  const change = s.changes?.[0];
  $('sf-change-zone').value = change?.zone || '';
  $('sf-change-percent').value = change ? Math.round((change.factor - 1) * 100) : 0;
}

export function scenarioFromForm() {
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

export async function runScenario() {
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

export function levelOf(density) { return density >= 4 ? 4 : density >= 3 ? 3 : density >= 2 ? 2 : density >= 1.5 ? 1 : 0; }

export function showScenarioPoint(i) {
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

export function playScenario() {
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

export function leaveScenario() {
  if (!state.scenario) return;
  if (state.playing) playScenario();
  state.scenario = null;
  $('play').hidden = true;
  loadZones().catch(() => {});
}

export function renderScenarioResults() {
  const list = state.scenarios || [];
  const el = $('scenario-results');
  const badge = (level) => html`<span class="lv" style="background:${LEVEL_COLOURS[level]}">${levelName(level)}</span>`;
  const hhmm = (iso) => (iso ? iso.substring(11, 16) : '—');
  setHtml(el, list.map((r, n) => {
    const rows = r.zones.filter((z) => z.maxLevel !== 'none' || z.baselineFirstRedAt)
      .sort((a, b) => LEVELS.indexOf(b.maxLevel) - LEVELS.indexOf(a.maxLevel) || b.peakDensity - a.peakDensity)
      .map((z) => {
        const limit = r.advice?.limits.find((l) => l.zone === z.zone);
        // One template: markup joined with + would become a plain string and be escaped again.
        return html`<tr data-zone="${z.zone}" data-scenario="${n}"><td>${state.lang === 'zh' ? z.nameZh : z.nameEn}</td><td>${badge(z.maxLevel)}</td><td>${fmt(z.peakDensity, 2)} (${hhmm(z.peakAt)})</td><td>${z.firstWarning ? html`${hhmm(z.firstWarning.at)} ${badge(z.firstWarning.level)}` : '—'}</td><td>${hhmm(z.firstWarningAt.red)}</td><td>${hhmm(z.baselineFirstRedAt)}</td><td>${limit ? html`${fmt(limit.peoplePerMinute)} ${t('perMinute')}` : '—'}</td></tr>`;
      });
    const advice = r.advice ? html`<div>${t('withLimits')}: ${badge(r.advice.maxLevelWith)}</div>` : '';
    return html`<h3 data-scenario="${n}">${r.name}</h3><table class="scenario-table"><tr><th>${t('zone')}</th><th>${t('maxLevel')}</th><th>${t('peakAt')}</th><th>${t('firstWarning')}</th><th>${t('firstRed')}</th><th>${t('baselineRed')}</th><th>${t('limit')}</th></tr>${rows}</table>${advice}${r.noRoom > 0 ? html`<div>${t('noRoom')}: ${fmt(r.noRoom)}</div>` : ''}`;
  }));
  for (const tr of el.querySelectorAll('tr[data-zone]')) {
    tr.addEventListener('click', () => {
      state.scenario = state.scenarios[Number(tr.dataset.scenario)];
      state.scenarioZone = tr.dataset.zone;
      showScenarioPoint(Math.min(state.scenarioPoint ?? 0, state.scenario.times.length - 1));
    });
  }
}

// The chosen zone through every scenario run: people, the baseline, with the recommended limits (dotted), level lines.
export function drawScenarioChart() {
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
  setHtml($('chart-legend'), series.map((s) => html`<span><i style="background:${s.colour}"></i>${s.label}</span> `));
}
