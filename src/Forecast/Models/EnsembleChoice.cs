namespace CrowdWatch.Forecast.Models;

/// <summary>What the ensemble chose at one horizon, and the validation errors that decided it.</summary>
/// <param name="Horizon">Slots ahead (1 = the next slot).</param>
/// <param name="Weights">Weight of each member.</param>
/// <param name="Description">The choice in words, e.g. "0.7 lightgbm + 0.3 historical-average".</param>
/// <param name="MemberErrors">Each member's mean squared error alone on the validation days.</param>
/// <param name="ChosenError">The chosen combination's mean squared error there (never above the lowest of <paramref name="MemberErrors"/>).</param>
/// <param name="Reason">Why, in words: the best blend's daily gain over the best member and whether it was steady enough to be taken.</param>
public sealed record EnsembleChoice(int Horizon, double[] Weights, string Description, IReadOnlyList<double> MemberErrors, double ChosenError, string Reason = "");
