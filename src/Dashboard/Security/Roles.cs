namespace CrowdWatch.Dashboard.Security;

/// <summary>
/// What an API key may do. A viewer sees aggregates only (k-suppressed); an operator also sees exact counts and
/// acknowledges and resolves alerts; an admin also edits zones, thresholds and recipients; an ingest key writes data
/// and reads nothing.
/// </summary>
public static class Roles
{
    /// <summary>Aggregates only.</summary>
    public const string Viewer = "viewer";

    /// <summary>Exact counts; acknowledges and resolves alerts.</summary>
    public const string Operator = "operator";

    /// <summary>Everything an operator may, and configuration.</summary>
    public const string Admin = "admin";

    /// <summary>Writes data only.</summary>
    public const string Ingest = "ingest";

    /// <summary>Every role.</summary>
    public static readonly string[] All = [Viewer, Operator, Admin, Ingest];

    /// <summary>Authorization policy: may read aggregates.</summary>
    public const string CanView = "can-view";

    /// <summary>Authorization policy: may act on alerts.</summary>
    public const string CanOperate = "can-operate";

    /// <summary>Authorization policy: may configure.</summary>
    public const string CanAdminister = "can-administer";

    /// <summary>Authorization policy: may write data.</summary>
    public const string CanIngest = "can-ingest";
}
