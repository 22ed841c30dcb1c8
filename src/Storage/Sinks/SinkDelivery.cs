namespace CrowdWatch.Storage.Sinks;

/// <summary>
/// An asynchronous CAMARA request kept until its answer reached the client's sink: the request as received, where to
/// send it (with the sink's bearer token and the request's correlator), the answer once computed, and the attempts.
/// </summary>
public sealed record SinkDelivery(string OperationId, string Api, string Request, string Sink, string? Token, string? Correlator, long AcceptedMs,
    string? Payload = null, int Attempts = 0, long NextAttemptMs = 0, long? DeliveredMs = null, string? LastError = null)
{
    /// <summary>The table's columns in the order <see cref="Read"/> takes them.</summary>
    internal const string Columns = "operation_id, api, request, sink, token, correlator, accepted, payload, attempts, next_attempt, delivered, last_error";

    /// <summary>A row of <see cref="Columns"/>.</summary>
    internal static SinkDelivery Read(System.Data.Common.DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt32(8),
        r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10), r.IsDBNull(11) ? null : r.GetString(11));
}
