namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>What the horizon features of one place and origin share: the anchor, the scale, and today's ratios to the past.</summary>
/// <param name="Anchor">The last observed value.</param>
/// <param name="InverseScale">One over the place's scale.</param>
/// <param name="RatioType">Today against many recent days of its type (working or rest day), clamped to 0.2..5.</param>
/// <param name="RatioDay">Today against yesterday at the origin's slot, clamped to 0.2..5.</param>
/// <param name="RatioWeek">Today against last week.</param>
/// <param name="RatioClass">Today against recent days of its class.</param>
public readonly record struct OriginState(double Anchor, double InverseScale, double RatioType, double RatioDay, double RatioWeek, double RatioClass);
