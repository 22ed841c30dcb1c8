using CrowdWatch.Alerts.Triggers;
using NetTopologySuite.Geometries;

namespace CrowdWatch.Alerts.Risk;

/// <summary>A cluster of adjacent hot cells, ranked by its risk score.</summary>
/// <param name="Rank">1 for the riskiest.</param>
/// <param name="Cells">Its cells' ids.</param>
/// <param name="Outline">Its outline in grid units (x = column, y = row; one unit per cell), for drawing and CAP areas.</param>
/// <param name="Level">The highest level any of its cells reaches at its peak.</param>
/// <param name="Score">The risk score (see <see cref="RiskPoints.Score"/>).</param>
/// <param name="Peak">Its densest cell's expected peak, when, and the interval around it.</param>
/// <param name="PeopleAtPeak">People in its cells at their peaks.</param>
public sealed record RiskPoint(int Rank, IReadOnlyList<int> Cells, Geometry Outline, RiskLevel Level, double Score, Peak Peak, double PeopleAtPeak);
