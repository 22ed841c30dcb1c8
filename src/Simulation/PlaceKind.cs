namespace CrowdWatch.Simulation;

/// <summary>The kind of a place, which sets when people come and how long they stay.</summary>
public enum PlaceKind
{
    /// <summary>Shopping streets and malls: afternoon and evening, longest on weekends.</summary>
    Shopping,

    /// <summary>Scenic spots: late morning to night, evening peaks with the night views, strongest on holidays.</summary>
    Scenic,

    /// <summary>Transit: commuting peaks on working days, short stays.</summary>
    Transit,

    /// <summary>Residential: people at home, out by day, back at night.</summary>
    Residential,
}
