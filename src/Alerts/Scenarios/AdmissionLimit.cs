namespace CrowdWatch.Alerts.Scenarios;

/// <summary>At most <paramref name="PeoplePerMinute"/> people a minute let into a zone; the rest wait outside or go elsewhere.</summary>
/// <param name="Zone">The zone's index in the area's layer.</param>
/// <param name="PeoplePerMinute">People admitted a minute.</param>
public readonly record struct AdmissionLimit(int Zone, double PeoplePerMinute);
