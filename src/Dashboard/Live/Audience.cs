namespace CrowdWatch.Dashboard.Live;

/// <summary>Who a frame is drawn for: each audience's frame is built and serialised once, whatever its number of clients.</summary>
public enum Audience
{
    /// <summary>Anyone without an operator's key: cells under the area's k carry no number.</summary>
    Viewers,

    /// <summary>Operators and admins: exact counts, only empty cells left out.</summary>
    Operators,
}
