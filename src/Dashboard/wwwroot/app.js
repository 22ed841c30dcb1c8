// CrowdWatch web map: the live heat map, zones with capacity gauges, the time slider over past and forecast slots,
// a zone's chart, and the alert panel. Everything comes from this host: the API, the live hub, the sample's GeoJSON.
import { selectZone } from './js/charts.js';
import { $, api, state } from './js/core.js';
import { applyLanguage } from './js/i18n.js';
import * as maplibregl from './lib/maplibre-gl/maplibre-gl.mjs';
import { connect, reconnectWithKey } from './js/live.js';
import { addLiveLayers, loadTimeline, loadZones, showSliderLabel, showSlot, style } from './js/map.js';
import { exampleScenario, fillZoneSelects, formFromScenario, leaveScenario, playScenario, runScenario, scenarioFromForm, showScenarioPoint } from './js/scenarios.js';

// ---- start -----------------------------------------------------------------------------------------------------

async function start() {
  $('key').value = sessionStorage.getItem('cw.key') || '';
  $('key').addEventListener('change', () => {
    sessionStorage.setItem('cw.key', $('key').value.trim());
    reconnectWithKey().catch(() => {});
  });
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
