using System.Buffers;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;
using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>
/// A front-end's pings on their way to the log: each is located in its cell and packed, with its device's pseudonym,
/// into the buffer of its cell's block. Nothing is counted here; the block's worker counts.
/// </summary>
internal sealed class LoggedPings(Grid grid, CellBlocks blocks, DeviceDirectory devices) : IPingTarget
{
    private readonly Dictionary<int, ArrayBufferWriter<byte>> _byBlock = [];
    private readonly int[] _cells = new int[4096];

    /// <inheritdoc />
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>The packed records by block.</summary>
    public IReadOnlyDictionary<int, ArrayBufferWriter<byte>> ByBlock => _byBlock;

    /// <inheritdoc />
    public void ResetDevice(int device)
    {
    }

    /// <inheritdoc />
    public void AddBatch(ReadOnlySpan<double> lon, ReadOnlySpan<double> lat, ReadOnlySpan<long> unixMs, ReadOnlySpan<int> device, Span<BinOutcome> outcomes)
    {
        for (var start = 0; start < lon.Length; start += _cells.Length)
        {
            var n = Math.Min(_cells.Length, lon.Length - start);
            var cells = _cells.AsSpan(0, n);
            grid.LocateCells(lon.Slice(start, n), lat.Slice(start, n), cells);
            for (var i = 0; i < n; i++)
            {
                var at = start + i;
                if (cells[i] < 0)
                {
                    outcomes[at] = BinOutcome.OutsideGrid;
                    continue;
                }

                var block = blocks.Of(cells[i]);
                if (!_byBlock.TryGetValue(block, out var buffer)) _byBlock[block] = buffer = new ArrayBufferWriter<byte>();
                LogRecords.WritePing(buffer, cells[i], unixMs[at], devices.PseudonymBitsOf(device[at]));
                Watermark = Math.Max(Watermark, unixMs[at]);
                outcomes[at] = BinOutcome.Counted;
            }
        }
    }

    /// <inheritdoc />
    public void Complete()
    {
    }
}
