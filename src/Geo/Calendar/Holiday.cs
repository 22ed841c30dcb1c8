namespace CrowdWatch.Geo.Calendar;

/// <summary>A public holiday period as announced: its days off and the weekend days made working days around it.</summary>
/// <param name="NameEn">English name.</param>
/// <param name="NameZh">Chinese name.</param>
/// <param name="From">First day off.</param>
/// <param name="To">Last day off.</param>
/// <param name="Workdays">Weekend days that are working days because of this holiday (调休上班日).</param>
public sealed record Holiday(string NameEn, string NameZh, DateOnly From, DateOnly To, IReadOnlyList<DateOnly> Workdays)
{
    /// <summary>Whether <paramref name="date"/> is one of the days off.</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;
}
