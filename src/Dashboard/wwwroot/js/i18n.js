// CrowdWatch web map, the page's words in Chinese and English, and switching between them.
import { levelName, renderAlerts } from './alerts.js';
import { drawChart } from './charts.js';
import { $, LEVEL_COLOURS, html, setHtml, state, t } from './core.js';
import { setStatus } from './live.js';
import { drawZoneMarkers, showSliderLabel, style } from './map.js';
import { drawScenarioChart, fillZoneSelects, renderScenarioResults, runScenario } from './scenarios.js';

export const TEXT = {
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

// ---- language --------------------------------------------------------------------------------------------------

export function applyLanguage() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  $('lang').textContent = t('lang');
  const legend = $('legend');
  setHtml(legend, html`<div>${t('legend')}</div><div class="ramp"></div><div class="ticks"><span>0</span><span>1.5</span><span>3</span><span>4.5+</span></div>
    <div class="levels">${['blue', 'yellow', 'orange', 'red'].map((l, i) => html`<span><i style="background:${LEVEL_COLOURS[l]}"></i>${levelName(l)} ≥${[1.5, 2, 3, 4][i]}</span>`)}</div>`);
  if (state.connection) setStatus($('status').dataset.state);
  renderAlerts();
  if (state.map) drawZoneMarkers();
  if (state.zones.length) fillZoneSelects();
  if (state.scenario) { renderScenarioResults(); drawScenarioChart(); } else if (state.selectedZone || state.selectedCell !== null) drawChart().catch(() => {});
  showSliderLabel();
}
