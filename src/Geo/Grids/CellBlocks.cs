namespace CrowdWatch.Geo.Grids;

/// <summary>
/// Square blocks of cells that split an area into partitions, each with one owner when several nodes share the work:
/// a cell belongs to exactly one block, so its distinct devices are counted in one place only. A side of zero (or one
/// at least as large as the grid) makes the whole area one block.
/// </summary>
/// <param name="Rows">The grid's rows.</param>
/// <param name="Cols">The grid's columns.</param>
/// <param name="Side">Cells per side of a block; 0: one block.</param>
public readonly record struct CellBlocks(int Rows, int Cols, int Side)
{
    /// <summary>The blocks of <paramref name="spec"/> with <paramref name="side"/> cells a side.</summary>
    public static CellBlocks Of(GridSpec spec, int side)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(side);
        return new CellBlocks(spec.Rows, spec.Cols, side >= Math.Max(spec.Rows, spec.Cols) ? 0 : side);
    }

    private int Across => Side == 0 ? 1 : (Cols + Side - 1) / Side;

    /// <summary>How many blocks there are.</summary>
    public int Count => Side == 0 ? 1 : Across * ((Rows + Side - 1) / Side);

    /// <summary>The block of cell <paramref name="cell"/> (row-major id).</summary>
    public int Of(int cell) => Side == 0 ? 0 : (cell / Cols / Side * Across) + (cell % Cols / Side);
}
