namespace CrowdWatch.Geo.Privacy;

/// <summary>
/// What a viewer may see of one cell: its estimated people and density (persons per walkable m²), or, below the k
/// floor, only that it is low density.
/// </summary>
/// <param name="CellId">The cell.</param>
/// <param name="People">Estimated people, or null when suppressed.</param>
/// <param name="Density">Persons per walkable m², or null when suppressed.</param>
public readonly record struct ViewerDensity(int CellId, double? People, double? Density)
{
    /// <summary>Whether the cell is shown only as <see cref="KThreshold.LowDensity"/>.</summary>
    public bool IsLowDensity => People is null;

    /// <summary>
    /// The viewer's view of every cell with anyone in it: people and density, or low density below the k floor.
    /// Cells with nobody are omitted.
    /// </summary>
    public static List<ViewerDensity> From(ReadOnlySpan<double> peopleByCell, ReadOnlySpan<double> walkableM2, KThreshold k)
    {
        if (peopleByCell.Length != walkableM2.Length) throw new ArgumentException("people and walkable area must cover the same cells");
        var result = new List<ViewerDensity>();
        for (var id = 0; id < peopleByCell.Length; id++)
        {
            var people = peopleByCell[id];
            if (!(people > 0)) continue;
            result.Add(k.Suppresses(people) ? new ViewerDensity(id, null, null) : new ViewerDensity(id, people, people / walkableM2[id]));
        }

        return result;
    }
}
