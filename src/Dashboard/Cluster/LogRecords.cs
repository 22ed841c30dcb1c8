using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// The ingest log's wire format: an entry holds many records of one kind, packed little-endian. A ping is its cell, its
/// time and its device's 128-bit pseudonym (28 bytes; no raw id ever reaches Redis); a search is its cell, time,
/// value and channel.
/// </summary>
public static class LogRecords
{
    /// <summary>The entry field naming the kind of its records.</summary>
    public const string KindField = "k";

    /// <summary>The entry field holding the packed records.</summary>
    public const string DataField = "d";

    /// <summary>Kind of an entry of pings.</summary>
    public const string Pings = "p";

    /// <summary>Kind of an entry of summed values (map searches).</summary>
    public const string Sums = "s";

    /// <summary>Bytes of one ping record.</summary>
    public const int PingBytes = 28;

    /// <summary>Appends one ping record.</summary>
    public static void WritePing(IBufferWriter<byte> into, int cell, long unixMs, UInt128 pseudonym)
    {
        ArgumentNullException.ThrowIfNull(into);
        var span = into.GetSpan(PingBytes);
        BinaryPrimitives.WriteInt32LittleEndian(span, cell);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], unixMs);
        BinaryPrimitives.WriteUInt128LittleEndian(span[12..], pseudonym);
        into.Advance(PingBytes);
    }

    /// <summary>Reads the ping records of an entry.</summary>
    public static IEnumerable<(int Cell, long UnixMs, UInt128 Pseudonym)> ReadPings(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length % PingBytes != 0) throw new InvalidDataException($"a ping entry of {data.Length} bytes is not a whole number of {PingBytes}-byte records");
        for (var at = 0; at < data.Length; at += PingBytes)
        {
            var span = data.AsSpan(at, PingBytes);
            yield return (BinaryPrimitives.ReadInt32LittleEndian(span), BinaryPrimitives.ReadInt64LittleEndian(span[4..]), BinaryPrimitives.ReadUInt128LittleEndian(span[12..]));
        }
    }

    /// <summary>Appends one summed record.</summary>
    public static void WriteSum(IBufferWriter<byte> into, int cell, long unixMs, string channel, double value)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(channel);
        var length = Encoding.UTF8.GetByteCount(channel);
        if (length > 255) throw new ArgumentException("a channel name is at most 255 bytes", nameof(channel));
        var span = into.GetSpan(21 + length);
        BinaryPrimitives.WriteInt32LittleEndian(span, cell);
        BinaryPrimitives.WriteInt64LittleEndian(span[4..], unixMs);
        BinaryPrimitives.WriteDoubleLittleEndian(span[12..], value);
        span[20] = (byte)length;
        Encoding.UTF8.GetBytes(channel, span[21..]);
        into.Advance(21 + length);
    }

    /// <summary>Reads the summed records of an entry.</summary>
    public static IEnumerable<(int Cell, long UnixMs, string Channel, double Value)> ReadSums(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var at = 0;
        while (at < data.Length)
        {
            if (data.Length - at < 21 || data.Length - at < 21 + data[at + 20]) throw new InvalidDataException($"a sum entry ends inside a record at byte {at}");
            var span = data.AsSpan(at);
            var length = span[20];
            yield return (BinaryPrimitives.ReadInt32LittleEndian(span), BinaryPrimitives.ReadInt64LittleEndian(span[4..]), Encoding.UTF8.GetString(span.Slice(21, length)),
                BinaryPrimitives.ReadDoubleLittleEndian(span[12..]));
            at += 21 + length;
        }
    }
}
