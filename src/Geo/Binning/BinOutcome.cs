namespace CrowdWatch.Geo.Binning;

/// <summary>What became of one ping handed to the binner.</summary>
public enum BinOutcome
{
    /// <summary>Counted in its cell and slot.</summary>
    Counted,

    /// <summary>Outside the grid: not counted, but it still ends the device's stay in its previous cell.</summary>
    OutsideGrid,

    /// <summary>Its slot was already closed and written; the ping arrived too late to count.</summary>
    Late,

    /// <summary>The same device at the same second as its latest sighting (seen by two sources): adds nothing.</summary>
    Duplicate,
}
