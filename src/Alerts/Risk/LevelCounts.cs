namespace CrowdWatch.Alerts.Risk;

/// <summary>How many places are at each level.</summary>
public struct LevelCounts
{
    private int _none, _blue, _yellow, _orange, _red;

    /// <summary>Places at <paramref name="level"/>.</summary>
    public readonly int this[RiskLevel level] => level switch
    {
        RiskLevel.Blue => _blue,
        RiskLevel.Yellow => _yellow,
        RiskLevel.Orange => _orange,
        RiskLevel.Red => _red,
        _ => _none,
    };

    /// <summary>Places at Blue or above.</summary>
    public readonly int Warned => _blue + _yellow + _orange + _red;

    internal void Add(int level)
    {
        switch (level)
        {
            case 0: _none++; break;
            case 1: _blue++; break;
            case 2: _yellow++; break;
            case 3: _orange++; break;
            default: _red++; break;
        }
    }
}
