using CrowdWatch.Forecast.Series;

namespace CrowdWatch.Forecast.Models.Trees;

/// <summary>
/// The features of the global tree model for one place, origin and horizon, in the spirit of ST-ResNet's closeness,
/// period and trend: recent slots, the same slot on previous days and weeks, the calendar, events, search heat and the
/// neighbours. Counts are expressed as changes from the last observed value in units of the place's own scale, and the
/// target likewise, so that one model serves a quiet alley and a packed square, and can forecast a crowd larger than
/// any seen in training (which ends before the holiday it is tested on).
/// </summary>
public static class TreeFeatures
{
    /// <summary>Horizon (in slots) at which today's ratio to the same-class days counts half (in the exponent) in the seasonal baseline.</summary>
    public const double DampingSlots = 16;

    /// <summary>Number of features.</summary>
    public const int Count = 42;

    /// <summary>The features' names, in order (for reports and importance tables).</summary>
    public static readonly string[] Names =
    [
        "horizon", "slot_of_day", "day_of_week", "holiday", "adjusted_workday", "days_to_holiday", "day_into_holiday", "origin_holiday",
        "event_at_target", "event_at_origin", "last", "lag2", "lag3", "lag4", "lag8", "same_slot_yesterday", "same_slot_2_days",
        "same_slot_last_week", "same_slot_2_weeks", "yesterday_at_origin", "last_week_at_origin", "yesterday_scaled", "last_week_scaled",
        "weeks_mean", "search_last", "search_change_hour", "search_vs_yesterday", "search_at_target_yesterday", "neighbours_change",
        "neighbours_vs_last_week", "neighbours_level", "scale", "same_class_mean", "same_class_at_origin", "same_class_scaled", "same_class_days",
        "channel", "other_channels_last", "other_channels_change", "other_channels_at_target_yesterday", "day_type_scaled", "cross_place_forecast",
    ];

    /// <summary>
    /// The scale of a place: one plus the mean of its last four weeks (or what there is), never below one.
    /// </summary>
    public static double Scale(ReadOnlySpan<double> values, int perDay)
    {
        var from = Math.Max(0, values.Length - (28 * perDay));
        double sum = 0;
        var n = 0;
        for (var i = from; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) continue;
            sum += values[i];
            n++;
        }

        return 1 + (n == 0 ? 0 : Math.Max(0, sum / n));
    }

    /// <summary>The value the features are measured from: the last observed value (0 when missing).</summary>
    public static double Anchor(ReadOnlySpan<double> values, int origin) => origin > 0 && !double.IsNaN(values[origin - 1]) ? values[origin - 1] : 0;

    /// <summary>
    /// Writes the features of place <paramref name="series"/> that depend on the origin alone (the first
    /// <paramref name="origin"/> slots of <paramref name="panel"/>), once for all horizons; only slots before the
    /// origin are read.
    /// </summary>
    public static OriginState WriteOrigin(Span<float> features, SlotPanel panel, int series, int origin, SlotTimes times, EventLoad events,
        double scale, double searchScale, double[] scales)
    {
        var y = panel.Values(series)[..origin];
        var perDay = panel.SlotsPerDay;
        var week = 7 * perDay;
        var a = Anchor(y, origin);
        var inv = 1 / scale;
        features[7] = origin > 0 && times.DayClass[origin - 1] == SlotCalendar.HolidayClass ? 1 : 0;
        features[9] = origin == 0 ? 0 : (float)Math.Log(1 + events.At(series, origin - 1));
        features[10] = (float)(a * inv);
        features[11] = Rel(y, origin - 2, a, inv);
        features[12] = Rel(y, origin - 3, a, inv);
        features[13] = Rel(y, origin - 4, a, inv);
        features[14] = Rel(y, origin - 8, a, inv);
        features[19] = Rel(y, origin - 1 - perDay, a, inv);
        features[20] = Rel(y, origin - 1 - week, a, inv);
        if (panel.HasSearch)
        {
            var q = panel.Search(series)[..origin];
            var invQ = 1 / searchScale;
            double lastHour = 0, hourYesterday = 0;
            for (var k = 1; k <= 4; k++)
            {
                lastHour += At(q, origin - k, 0);
                hourYesterday += At(q, origin - k - perDay, 0);
            }

            features[24] = (float)(At(q, origin - 1, 0) * invQ);
            features[25] = (float)((At(q, origin - 1, 0) - At(q, origin - 5, 0)) * invQ);
            features[26] = (float)Math.Log((lastHour + 1) / (hourYesterday + 1));
        }
        else
        {
            features[24] = features[25] = features[26] = 0;
        }

        var neighbours = panel.Neighbours(series);
        if (neighbours.Count > 0 && origin > 1)
        {
            double change = 0, anomaly = 0, level = 0;
            foreach (var j in neighbours)
            {
                var v = panel.Values(j)[..origin];
                var last = At(v, origin - 1, 0);
                var s = scales[j];
                change += (last - At(v, origin - 2, last)) / s;
                anomaly += (last - At(v, origin - 1 - week, last)) / s;
                level += last;
            }

            features[28] = (float)(change / neighbours.Count);
            features[29] = (float)(anomaly / neighbours.Count);
            features[30] = (float)(level / neighbours.Count * inv);
        }
        else
        {
            features[28] = features[29] = features[30] = 0;
        }

        // A place's other channels (trips ended where trips start, people out where people come in) move with its own.
        var companions = panel.Companions(series);
        features[36] = panel.Channels is { } ch ? ch.ChannelOf(series) : 0;
        if (companions.Count > 0 && origin > 1)
        {
            double last = 0, change = 0;
            foreach (var j in companions)
            {
                var v = panel.Values(j)[..origin];
                var l = At(v, origin - 1, 0);
                last += l;
                change += l - At(v, origin - 2, l);
            }

            features[37] = (float)((last / companions.Count) * inv);
            features[38] = (float)((change / companions.Count) * inv);
        }
        else
        {
            features[37] = features[38] = 0;
        }

        features[31] = (float)Math.Log(scale);
        var (originMean, _) = origin > 0 ? SameClassMean(y, origin - 1, origin, perDay, times) : (double.NaN, 0);
        if (double.IsNaN(originMean)) originMean = a;
        features[33] = (float)((originMean - a) * inv);
        var typeAtOrigin = origin > 0 ? DayTypeMean(y, origin - 1, origin, perDay, times) : double.NaN;
        if (double.IsNaN(typeAtOrigin)) typeAtOrigin = a;
        // How busy today is compared with yesterday, last week and recent days of its class and type, at the origin's slot.
        return new OriginState(a, inv, Math.Clamp((a + 1) / (typeAtOrigin + 1), 0.2, 5),
            Math.Clamp((a + 1) / (At(y, origin - 1 - perDay, a) + 1), 0.2, 5),
            Math.Clamp((a + 1) / (At(y, origin - 1 - week, a) + 1), 0.2, 5),
            Math.Clamp((a + 1) / (originMean + 1), 0.2, 5));
    }

    /// <summary>
    /// Writes the features of the slot <paramref name="horizon"/> slots after the origin (the rest having been written
    /// by <see cref="WriteOrigin"/>) and returns the baseline the model's target is measured from: the last observed
    /// value (<paramref name="seasonal"/> false, best a few slots ahead), or the same slot on recent days of the same
    /// class scaled by how today compares with them (true: best hours ahead, and it follows a holiday's level where a
    /// change from the last value would not). Only slots before the origin are read.
    /// </summary>
    public static double WriteHorizon(Span<float> features, in OriginState state, SlotPanel panel, int series, int origin, int horizon, SlotTimes times,
        EventLoad events, double searchScale, bool seasonal, double crossPlace = double.NaN)
    {
        var y = panel.Values(series)[..origin];
        var perDay = panel.SlotsPerDay;
        var week = 7 * perDay;
        var t = origin + horizon - 1;
        var (a, inv) = (state.Anchor, state.InverseScale);
        features[0] = horizon;
        features[1] = times.SlotOfDay[t];
        features[2] = times.DayOfWeek[t];
        features[3] = times.DayClass[t] == SlotCalendar.HolidayClass ? 1 : 0;
        features[4] = times.AdjustedWorkday[t] ? 1 : 0;
        features[5] = times.DaysToHoliday[t];
        features[6] = times.DayIntoHoliday[t];
        features[8] = (float)Math.Log(1 + events.At(series, t));
        int d1 = Back(t, perDay, 1, origin), d2 = Back(t, perDay, 2, origin), w1 = Back(t, week, 1, origin), w2 = Back(t, week, 2, origin);
        features[15] = Rel(y, d1, a, inv);
        features[16] = Rel(y, d2, a, inv);
        features[17] = Rel(y, w1, a, inv);
        features[18] = Rel(y, w2, a, inv);
        // Yesterday's and last week's course from the origin's slot to the target's, scaled by how busy today is
        // compared with then: on a holiday three times as busy, the evening rise is three times as steep.
        features[21] = (float)((((At(y, d1, a) + 1) * state.RatioDay) - 1 - a) * inv);
        features[22] = (float)((((At(y, w1, a) + 1) * state.RatioWeek) - 1 - a) * inv);
        features[23] = (float)((((At(y, w1, a) + At(y, w2, a) + At(y, Back(t, week, 3, origin), a)) / 3) - a) * inv);
        var companions = panel.Companions(series);
        if (companions.Count > 0)
        {
            double sum = 0;
            foreach (var j in companions) sum += At(panel.Values(j)[..origin], d1, 0);
            features[39] = (float)((sum / companions.Count) * inv);
        }
        else
        {
            features[39] = 0;
        }

        features[27] = panel.HasSearch ? (float)(At(panel.Search(series)[..origin], d1, 0) / searchScale) : 0;

        // The historical average's view: the same slot on the last few days of the same class (weekday, or holiday),
        // and that scaled by how today compares with them.
        var (classMean, days) = SameClassMean(y, t, origin, perDay, times);
        if (double.IsNaN(classMean)) classMean = a;
        features[32] = (float)((classMean - a) * inv);
        features[34] = (float)((((classMean + 1) * state.RatioClass) - 1 - a) * inv);
        features[35] = days;
        // The profile of the day's type (working day or rest day) over many weeks, steadier than four days of its class,
        // scaled by how today compares with it. Only scaled: the profile's own level less the last value taught the
        // trees to pull a crowd back towards an ordinary day's level, wrong on a holiday (sample city, cells 15 minutes
        // ahead: RMSE 75.5 with that feature, 62.0 without; BikeNYC 4.55 with it, 4.54 without).
        var typeMean = DayTypeMean(y, t, origin, perDay, times);
        features[40] = double.IsNaN(typeMean) ? 0 : (float)((((typeMean + 1) * state.RatioType) - 1 - a) * inv);
        features[41] = double.IsNaN(crossPlace) ? 0 : (float)((crossPlace - a) * inv);
        // Today's difference from the class fades with the horizon: it says much about the next hours, little about tonight.
        var damped = Math.Pow(state.RatioClass, DampingSlots / (DampingSlots + (double)horizon));
        return seasonal ? Math.Max(0, ((classMean + 1) * damped) - 1) : a;
    }

    private static float Rel(ReadOnlySpan<double> v, int i, double anchor, double inverseScale) =>
        i >= 0 && i < v.Length && !double.IsNaN(v[i]) ? (float)((v[i] - anchor) * inverseScale) : 0f;

    private static double At(ReadOnlySpan<double> v, int i, double fallback) => i >= 0 && i < v.Length && !double.IsNaN(v[i]) ? v[i] : fallback;

    // The same slot a whole number of seasons back, stepping back again while it lies at or past the origin.
    private static int Back(int index, int season, int seasons, int origin)
    {
        var i = index - (season * seasons);
        while (i >= origin) i -= season;
        return i;
    }

    /// <summary>
    /// The mean at slot <paramref name="index"/>'s time of day over the last four days before the origin of the same
    /// class as its own (up to eight weeks back); a holiday with no holiday before it takes Sundays. NaN when none.
    /// </summary>
    public static (double Mean, int Days) SameClassMean(ReadOnlySpan<double> values, int index, int origin, int perDay, SlotTimes times)
    {
        var wanted = times.DayClass[index];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            double sum = 0;
            var found = 0;
            for (var j = 1; j <= 56 && found < 4; j++)
            {
                var i = index - (j * perDay);
                if (i < 0) break;
                if (i >= origin || times.DayClass[i] != wanted || double.IsNaN(values[i])) continue;
                sum += values[i];
                found++;
            }

            if (found > 0) return (sum / found, found);
            if (wanted != SlotCalendar.HolidayClass) break;
            wanted = 0;
        }

        return (double.NaN, 0);
    }

    /// <summary>
    /// The mean at slot <paramref name="index"/>'s time of day over up to 20 days before the origin of the same type
    /// (a working day, or a weekend day or holiday), up to eight weeks back; NaN when none.
    /// </summary>
    public static double DayTypeMean(ReadOnlySpan<double> values, int index, int origin, int perDay, SlotTimes times)
    {
        var rest = IsRestDay(times.DayClass[index]);
        double sum = 0;
        var found = 0;
        for (var j = 1; j <= 56 && found < 40; j++)
        {
            var i = index - (j * perDay);
            if (i < 0) break;
            if (i >= origin || IsRestDay(times.DayClass[i]) != rest || double.IsNaN(values[i])) continue;
            sum += values[i];
            found++;
        }

        return found == 0 ? double.NaN : sum / found;
    }

    private static bool IsRestDay(int dayClass) => dayClass is 0 or 6 or SlotCalendar.HolidayClass;

    /// <summary>The training target: the target slot's value less the baseline, in units of the scale.</summary>
    public static float Target(ReadOnlySpan<double> values, int target, double baseline, double scale) =>
        (float)(((double.IsNaN(values[target]) ? baseline : values[target]) - baseline) / scale);

    /// <summary>A forecast from a predicted target: the baseline plus the predicted difference, never below zero.</summary>
    public static double Forecast(double baseline, double predicted, double scale) => Math.Max(0, baseline + (predicted * scale));
}
