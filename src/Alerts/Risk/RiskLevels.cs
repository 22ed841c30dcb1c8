namespace CrowdWatch.Alerts.Risk;

/// <summary>Names of the levels as people and CAP consumers read them.</summary>
public static class RiskLevels
{
    /// <summary>The levels that warn, lowest first.</summary>
    public static readonly RiskLevel[] Warning = [RiskLevel.Blue, RiskLevel.Yellow, RiskLevel.Orange, RiskLevel.Red];

    /// <summary>The colour in lower case, for example <c>orange</c>; <c>none</c> below Blue.</summary>
    public static string Colour(this RiskLevel level) => level switch
    {
        RiskLevel.Blue => "blue",
        RiskLevel.Yellow => "yellow",
        RiskLevel.Orange => "orange",
        RiskLevel.Red => "red",
        _ => "none",
    };

    /// <summary>The colour as Chinese warnings name it, for example 橙色.</summary>
    public static string ColourZh(this RiskLevel level) => level switch
    {
        RiskLevel.Blue => "蓝色",
        RiskLevel.Yellow => "黄色",
        RiskLevel.Orange => "橙色",
        RiskLevel.Red => "红色",
        _ => "无",
    };

    /// <summary>The level's Roman numeral, IV for Blue to I for Red.</summary>
    public static string Roman(this RiskLevel level) => level switch
    {
        RiskLevel.Blue => "IV",
        RiskLevel.Yellow => "III",
        RiskLevel.Orange => "II",
        RiskLevel.Red => "I",
        _ => "",
    };

    /// <summary>The RGB colour used on maps and charts, for example <c>#f28c28</c>.</summary>
    public static string Hex(this RiskLevel level) => level switch
    {
        RiskLevel.Blue => "#2f6fdf",
        RiskLevel.Yellow => "#f2d024",
        RiskLevel.Orange => "#f28c28",
        RiskLevel.Red => "#d7263d",
        _ => "#9aa0a6",
    };

    /// <summary>The CAP 1.2 severity the level maps to: Minor, Moderate, Severe, Extreme.</summary>
    public static string CapSeverity(this RiskLevel level) => level switch
    {
        RiskLevel.Blue => "Minor",
        RiskLevel.Yellow => "Moderate",
        RiskLevel.Orange => "Severe",
        RiskLevel.Red => "Extreme",
        _ => "Unknown",
    };

    /// <summary>Parses a colour name (<c>orange</c>) or Roman numeral (<c>II</c>), any case; false if neither.</summary>
    public static bool TryParse(string? text, out RiskLevel level)
    {
        level = text?.Trim().ToUpperInvariant() switch
        {
            "BLUE" or "IV" => RiskLevel.Blue,
            "YELLOW" or "III" => RiskLevel.Yellow,
            "ORANGE" or "II" => RiskLevel.Orange,
            "RED" or "I" => RiskLevel.Red,
            "NONE" => RiskLevel.None,
            _ => (RiskLevel)255,
        };
        return level != (RiskLevel)255;
    }
}
