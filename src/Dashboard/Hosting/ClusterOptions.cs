using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// How this node takes part when CrowdWatch runs as several: the Redis server the nodes share (the SignalR backplane, so
/// a browser on any node hears what any node pushes) and the roles this node plays. One process with no Redis and
/// every role is the default, exactly as a single CrowdWatch runs.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Cluster</c>.</summary>
    public const string Section = "Cluster";

    /// <summary>Serves the API, the page and the hub.</summary>
    public const string FrontEnd = "frontend";

    /// <summary>Produces: forecasts, the judging of slots, heat frames.</summary>
    public const string Worker = "worker";

    /// <summary>Sends what the outbox holds.</summary>
    public const string Dispatcher = "dispatcher";

    private static readonly string[] Known = [FrontEnd, Worker, Dispatcher, "all"];

    /// <summary>StackExchange.Redis configuration of the shared Redis (e.g. <c>127.0.0.1:6379</c>); none: no backplane.</summary>
    public string? Redis { get; set; }

    /// <summary>Comma-separated roles of this node: <c>frontend</c>, <c>worker</c>, <c>dispatcher</c>, or <c>all</c> (the default).</summary>
    public string Roles { get; set; } = "all";

    /// <summary>
    /// Cells per side of the blocks an area's ingest is split into, one owner (worker) each; 0 (the default): one block
    /// per area. Flows between cells of two blocks are not followed (each block sees its own cells only).
    /// </summary>
    [Range(0, 100_000)]
    public int BlockCells { get; set; }

    /// <summary>How long a node's hold on a partition or an area's judging lasts without renewal: the longest a dead node's work waits for another.</summary>
    [Range(2, 600)]
    public int LeaseSeconds { get; set; } = 10;

    /// <summary>This node's name in the log's consumer groups and its leases; default: host name and process id.</summary>
    public string? NodeId { get; set; }

    /// <summary>Whether several nodes share the work through Redis.</summary>
    public bool Shared => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>The node's name: <see cref="NodeId"/>, or host name and process id.</summary>
    public string NodeName() => NodeId is { Length: > 0 } id ? id : $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Whether this node plays <paramref name="role"/>.</summary>
    public bool Has(string role) => RoleList.Contains("all") || RoleList.Contains(role);

    private string[] RoleList => [.. Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => r.ToLowerInvariant())];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RoleList.Length == 0) yield return new ValidationResult($"Cluster:Roles: expected one or more of {string.Join(", ", Known)}", [nameof(Roles)]);
        foreach (var r in RoleList.Where(r => !Known.Contains(r)))
            yield return new ValidationResult($"Cluster:Roles: '{r}' is not a role; expected {string.Join(", ", Known)}", [nameof(Roles)]);
    }
}
