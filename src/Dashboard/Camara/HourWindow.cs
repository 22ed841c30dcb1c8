namespace CrowdWatch.Dashboard.Camara;

/// <summary>The hourly intervals (UTC hours) that cover a window exactly: the first holds its start, the last its end.</summary>
public static class HourWindow
{
    private const long Hour = 3_600_000;

    /// <summary>The intervals' starts (Unix ms) covering [<paramref name="startMs"/>, <paramref name="endMs"/>].</summary>
    public static long[] Of(long startMs, long endMs)
    {
        if (endMs < startMs) throw new ArgumentException("the window ends before it starts");
        var first = Floor(startMs);
        // An end on the hour closes the interval before it; a window of one instant is the hour holding it.
        var last = endMs > startMs && endMs % Hour == 0 ? endMs - Hour : Floor(endMs);
        var hours = new long[((last - first) / Hour) + 1];
        for (var i = 0; i < hours.Length; i++) hours[i] = first + (i * Hour);
        return hours;
    }

    private static long Floor(long ms) => ms - (((ms % Hour) + Hour) % Hour);
}
