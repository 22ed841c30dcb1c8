
namespace CrowdWatch.Alerts.Scenarios;

/// <summary>A scenario run: its outcome, the same window with none of its changes, and the admission limits recommended.</summary>
/// <param name="File">The scenario as written.</param>
/// <param name="Outcome">What it comes to.</param>
/// <param name="Baseline">The same window with the usual crowd only.</param>
/// <param name="Advice">The admission limits keeping every zone below Orange, when asked for and any zone reaches it.</param>
/// <param name="SimulateMs">Milliseconds the scenario's own run took.</param>
/// <param name="AdviceMs">Milliseconds the search for admission limits took.</param>
public sealed record ScenarioResult(ScenarioFile File, ScenarioOutcome Outcome, ScenarioOutcome Baseline, AdmissionAdvice? Advice, double SimulateMs, double AdviceMs);
