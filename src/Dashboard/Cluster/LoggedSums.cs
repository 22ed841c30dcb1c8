using System.Buffers;
using CrowdWatch.Geo.Binning;
using CrowdWatch.Geo.Grids;

namespace CrowdWatch.Dashboard.Cluster;

/// <summary>A front-end's map searches on their way to the log, packed into the buffer of their cell's block.</summary>
internal sealed class LoggedSums(CellBlocks blocks) : ISumTarget
{
    private readonly Dictionary<int, ArrayBufferWriter<byte>> _byBlock = [];

    /// <summary>The packed records by block.</summary>
    public IReadOnlyDictionary<int, ArrayBufferWriter<byte>> ByBlock => _byBlock;

    /// <inheritdoc />
    public bool Add(long unixMs, int cell, string channel, double value)
    {
        var block = blocks.Of(cell);
        if (!_byBlock.TryGetValue(block, out var buffer)) _byBlock[block] = buffer = new ArrayBufferWriter<byte>();
        LogRecords.WriteSum(buffer, cell, unixMs, channel, value);
        return true;
    }

    /// <inheritdoc />
    public void Complete()
    {
    }
}
