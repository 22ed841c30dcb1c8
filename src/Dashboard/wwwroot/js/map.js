// CrowdWatch web map, the map: base map, live heat layer, zones with their gauges, the time slider over past and forecast slots.
import { selectCell, selectZone } from './charts.js';
import { $, LEVELS, LEVEL_COLOURS, api, fmt, html, localDateTime, setHtml, state, t } from './core.js';
import * as maplibregl from '../lib/maplibre-gl/maplibre-gl.mjs';

// ---- the map ---------------------------------------------------------------------------------------------------

export function style(basemap) {
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

export function centroid(ring) {
  let x = 0; let y = 0;
  for (let i = 0; i < ring.length - 1; i++) { x += ring[i][0]; y += ring[i][1]; }
  return [x / (ring.length - 1), y / (ring.length - 1)];
}

export function heatData() {
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

export function redrawHeat() {
  const data = heatData();
  state.map.getSource('heat')?.setData(data.cells);
  state.map.getSource('heat-points')?.setData(data.points);
}

export function addLiveLayers(map, zones) {
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

export async function loadZones() {
  state.zones = await api(`/api/areas/${state.area.name}/zones`);
  drawZoneMarkers();
}

export function drawZoneMarkers() {
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
    setHtml(el, html`<div>${state.lang === 'zh' ? z.nameZh : z.nameEn}${use !== null ? html` · ${fmt(use * 100)}%` : ''}</div><div class="gauge"><b style="width:${Math.min(100, (use ?? 0) * 100)}%"></b></div>`);
    el.title = `${z.people === null ? t('lowDensity') : `${fmt(z.people)} ${t('people')}, ${fmt(z.density, 2)} ${t('density')}`}${z.capacity ? ` / ${fmt(z.capacity)}` : ''}`;
    el.addEventListener('click', () => selectZone(z.name));
    state.markers.push(new maplibregl.Marker({ element: el }).setLngLat(centroid(ring)).addTo(state.map));
  }
}

// ---- time slider -----------------------------------------------------------------------------------------------

export async function loadTimeline() {
  state.timeline = await api(`/api/areas/${state.area.name}/timeline`);
  const all = [...state.timeline.observed, ...state.timeline.forecast.filter((s) => !state.timeline.observed.includes(s))];
  state.slots = all;
  const slider = $('slider');
  slider.max = String(Math.max(0, all.length - 1));
  if (state.live) slider.value = String(Math.max(0, state.timeline.observed.length - 1));
  showSliderLabel();
}

export function showSliderLabel() {
  if (state.scenario) { $('slider-label').textContent = `${localDateTime(state.scenario.times[Number($('slider').value)])}${t('scenarioSlot')}`; return; }
  const slot = state.slots?.[Number($('slider').value)];
  const isForecast = slot && !state.timeline.observed.includes(slot);
  $('slider-label').textContent = slot ? `${localDateTime(slot)}${isForecast ? t('forecastSlot') : ''}` : '';
}

export async function showSlot(index) {
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
