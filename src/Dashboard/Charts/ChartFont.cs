namespace CrowdWatch.Dashboard.Charts;

/// <summary>
/// The font charts use for Chinese and Latin text. The bundled Skia build does not ask fontconfig for glyphs, so a
/// CJK font installed by Debian (fonts-noto-cjk or fonts-wqy-microhei) is registered with ScottPlot from its file.
/// </summary>
public static class ChartFont
{
    /// <summary>Font files tried, in order.</summary>
    public static readonly IReadOnlyList<string> Candidates =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ];

    private const string Name = "CrowdWatch CJK";
    private static readonly Lazy<string> Resolved = new(Resolve);

    /// <summary>The font name to use: the registered CJK font, or ScottPlot's default when none is installed.</summary>
    public static string Family => Resolved.Value;

    /// <summary>Whether a CJK font was found, so Chinese names render as text rather than boxes.</summary>
    public static bool HasCjk => Resolved.Value == Name;

    private static string Resolve()
    {
        foreach (var path in Candidates)
        {
            if (!File.Exists(path)) continue;
            ScottPlot.Fonts.AddFontFile(Name, path, bold: false, italic: false);
            return Name;
        }

        return ScottPlot.Fonts.Default;
    }
}
