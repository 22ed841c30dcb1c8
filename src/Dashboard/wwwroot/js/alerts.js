// CrowdWatch web map, the alert panel: open warnings, acknowledge/resolve, history, the alarm tone.
import { selectZone } from './charts.js';
import { $, LEVELS, LEVEL_COLOURS, api, fmt, html, setHtml, state, t, zoneDateTime, zoneTime } from './core.js';
import { TEXT } from './i18n.js';
import { style } from './map.js';

// ---- alerts ----------------------------------------------------------------------------------------------------

export function levelName(level) { return t('levels')[level] || level; }

export function renderAlerts() {
  const list = $('alerts');
  // As the API orders them: level, then density, then capacity use.
  const alerts = [...state.alerts.values()].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || b.density - a.density || (b.capacityUse ?? 0) - (a.capacityUse ?? 0));
  list.replaceChildren();
  if (alerts.length === 0) { setHtml(list, html`<li class="empty">${t('noAlerts')}</li>`); return; }
  for (const a of alerts) {
    const li = document.createElement('li');
    li.className = 'alert';
    li.dataset.id = a.id; li.dataset.level = a.level; li.dataset.state = a.state.toLowerCase(); li.dataset.place = a.place;
    const name = state.lang === 'zh' ? a.nameZh : a.nameEn;
    const instruction = state.lang === 'zh' ? a.instructionZh : a.instructionEn;
    setHtml(li, html`
      <div class="head"><span>${name}</span><span class="level" style="background:${LEVEL_COLOURS[a.level]}">${levelName(a.level)}</span></div>
      <div class="facts"><span class="state">${t(a.state) || a.state}</span> · ${a.density == null ? t('lowDensity') : html`${fmt(a.density, 2)} ${t('density')}`}${a.capacityUse != null ? html` · ${t('capacityUse')} ${fmt(a.capacityUse * 100)}%` : ''}
        ${a.trendPerHour != null ? html`· ${t('trend')} ${a.trendPerHour >= 0 ? '+' : ''}${fmt(a.trendPerHour, 2)}${t('perHour')}` : ''}${a.peakDensity != null ? html` · ${t('peak')} ${fmt(a.peakDensity, 2)} (${fmt(a.peakLow, 2)}–${fmt(a.peakHigh, 2)}) ${t('at')} ${zoneTime(a.peakAt)}` : ''}</div>
      ${a.dataGapSince ? html`<div class="data-gap">${t('dataGap')} ${zoneTime(a.dataGapSince)}</div>` : ''}
      ${a.densityFlagged ? html`<div class="data-gap">${t('densityFlagged')}</div>` : ''}
      ${a.reason ? html`<div class="reason">${a.reason}</div>` : ''}
      ${instruction ? html`<div class="instruction">${instruction}</div>` : ''}
      <textarea class="note" rows="1" placeholder="${t('note')}" maxlength="1000"></textarea>
      <div class="actions"><button class="ack" type="button">${t('acknowledge')}</button><button class="resolve" type="button">${t('resolve')}</button><button class="show-history" type="button">${t('history')}</button></div>
      <div class="error" role="status"></div><ol class="history" hidden></ol>`);
    li.querySelector('.ack').addEventListener('click', () => act(a.id, 'acknowledge', li));
    li.querySelector('.resolve').addEventListener('click', () => act(a.id, 'resolve', li));
    li.querySelector('.show-history').addEventListener('click', () => showHistory(a.id, li));
    li.addEventListener('dblclick', () => selectZone(a.place.replace(/^zone:/, '')));
    list.appendChild(li);
  }
}

export async function act(id, what, li) {
  const error = li.querySelector('.error');
  if (!$('key').value.trim()) { error.textContent = t('needKey'); return; }
  try {
    const note = li.querySelector('.note').value.trim();
    await api(`/api/alerts/${id}/${what}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: note || null }) });
    error.textContent = '';
    await loadAlerts();
  } catch (e) { error.textContent = e.message; }
}

export async function showHistory(id, li) {
  const ol = li.querySelector('.history');
  const events = await api(`/api/alerts/${id}`);
  setHtml(ol, events.map((e) => html`<li>${zoneDateTime(e.at)} ${e.kind} ${levelName(e.level)} — ${e.actor}${e.note ? html`: ${e.note}` : ''}</li>`));
  ol.hidden = !ol.hidden;
}

export async function loadAlerts() {
  const open = await api('/api/alerts');
  state.alerts = new Map(open.filter((a) => a.area === state.area.name).map((a) => [a.id, a]));
  renderAlerts();
}

export let audio;
export function beep(level) {
  try {
    audio ??= new AudioContext();
    const o = audio.createOscillator(); const g = audio.createGain();
    o.frequency.value = level === 'red' ? 880 : 660; g.gain.value = 0.15;
    o.connect(g); g.connect(audio.destination); o.start(); o.stop(audio.currentTime + (level === 'red' ? 0.9 : 0.5));
  } catch { /* no sound device: the banner still shows */ }
}

export function onAlertEvent(e) {
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
