using System.Data.Common;
using CrowdWatch.Alerts.Storage;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Storage;

/// <summary>
/// Reading rows the same way on both backends: a query's rows as a list, and the rows both stores share. The one
/// difference, how an instant is kept (Unix ms in SQLite, timestamptz in PostgreSQL), comes in as a function.
/// </summary>
internal static class DbRows
{
    /// <summary>Every row of <paramref name="command"/>, mapped.</summary>
    public static async Task<List<T>> ListAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>A text column that may be NULL.</summary>
    public static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>A grid from columns epsg, origin_x, origin_y, cell_size_m, rows, cols starting at <paramref name="first"/>.</summary>
    public static GridSpec Grid(DbDataReader r, int first) =>
        new(r.GetInt32(first), r.GetDouble(first + 1), r.GetDouble(first + 2), r.GetDouble(first + 3), r.GetInt32(first + 4), r.GetInt32(first + 5));

    /// <summary>An audit entry from columns at, actor, action, target, detail.</summary>
    public static Access.AuditEntry Audit(DbDataReader r, Func<DbDataReader, int, long> instant) =>
        new(instant(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4));

    /// <summary>An alert event from columns sequence, at, kind, area, place, level, actor, note, message.</summary>
    public static AlertEvent Event(DbDataReader r, Guid alertId, Func<DbDataReader, int, long> instant) =>
        new(alertId, r.GetInt32(0), instant(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), Text(r, 7), Text(r, 8),
            r.FieldCount > 9 ? Text(r, 9) : null);

    /// <summary>An outbox message from columns id, alert_id, sequence, channel, recipient, payload, attempts, next_attempt, last_error.</summary>
    public static OutboxMessage Outbox(DbDataReader r, Func<DbDataReader, int, Guid> id, Func<DbDataReader, int, long> instant) =>
        new(r.GetInt64(0), id(r, 1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6), instant(r, 7), null, Text(r, 8));
}
