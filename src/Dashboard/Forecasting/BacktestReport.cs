using System.Globalization;
using System.Text;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Forecast.Evaluation;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Forecast.Series;
using ScottPlot;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>Writes a backtest's results: the papers' table and the intervals' table as Markdown, every score as CSV, charts as PNG.</summary>
internal static class BacktestReport
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "panel,model,horizon,minutes,rmse,mae,mape,pairs,coverage80,coverage90,coverage95,winkler90,brier";

    /// <summary>The table of intervals and danger-level probabilities at the chosen horizons.</summary>
    public static string IntervalMarkdown(IReadOnlyList<BacktestScore> scores, IReadOnlyList<int> horizons, int slotMinutes)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("| Model | Horizon | Coverage 80% | Coverage 90% | Coverage 95% | Winkler 90% | Brier (levels) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var model in scores.Select(s => s.Model).Distinct())
        {
            foreach (var h in horizons)
            {
                if (scores.FirstOrDefault(x => x.Model == model && x.Horizon == h) is not { } s) continue;
                sb.Append(ci, $"| {model} | {h * slotMinutes} min | {Percent(s.Coverage80)} | {Percent(s.Coverage90)} | {Percent(s.Coverage95)} | {Number(s.Winkler90, "0.0")} | {Number(s.Brier, "0.0000")} |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// What a reader of the tables needs beside them: each model's time, forecasts a model could not give (left out
    /// of its scores), and the ensemble's choice of members per horizon with the validation errors behind it.
    /// </summary>
    public static string NotesMarkdown(BacktestResult result, IReadOnlyList<IForecastModel> models, int slotMinutes)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("| Model | Fit and calibration | In all |\n|---|---:|---:|\n");
        foreach (var (model, (fit, total)) in result.Timings) sb.Append(ci, $"| {model} | {fit.TotalSeconds:0.0} s | {total.TotalSeconds:0.0} s |\n");
        foreach (var g in result.Scores.Where(s => s.Unforecast > 0).GroupBy(s => s.Model))
            sb.Append(ci, $"\n{g.Key} gave no forecast for {g.Sum(s => s.Unforecast):N0} observed slots (all horizons); its scores leave them out.\n");
        foreach (var e in models.OfType<WeightedEnsemble>())
        {
            sb.Append("\nThe ensemble's choice per horizon, by mean squared error on the last days of the training (its members fitted without them):\n\n| Horizon | Chosen | ")
              .Append(string.Join(" | ", e.Members.Select(m => $"MSE {m.Name}"))).Append(" | MSE chosen | Why |\n|---|---|").Append(string.Concat(e.Members.Select(_ => "---:|"))).Append("---:|---|\n");
            foreach (var c in e.Choices)
                sb.Append(ci, $"| {c.Horizon * slotMinutes} min | {c.Description} | ").Append(string.Join(" | ", c.MemberErrors.Select(x => x.ToString("0.00", ci)))).Append(ci, $" | {c.ChosenError:0.00} | {(c.Reason.Length > 0 ? c.Reason : "the best member alone had the lowest error")} |\n");
            var unheld = SlotTimes.HolidayDayNames.Where((_, k) => !e.HeldDayKinds[k]).ToArray();
            if (unheld.Length > 0 && e.Choices.Count > 0)
                sb.Append(ci, $"\nThe validation days held no slot of {string.Join(", ", unheld)}: targets on such days take the {slotMinutes} min choice ({e.Choices[0].Description}) at every horizon.\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// For each holiday and dated event of the calendar in the test window: the whole panel at that day's peak slot,
    /// observed against each model's forecast one slot and the trace lead ahead. The days a planner asks about.
    /// </summary>
    public static string SpecialDaysMarkdown(BacktestResult result, SlotCalendar calendar, int slotMinutes)
    {
        var ci = CultureInfo.InvariantCulture;
        var first = result.Totals.Values.FirstOrDefault();
        if (first is null || first.SlotStartMs.Length == 0) return "";
        var days = first.SlotStartMs.Select(ms => DateOnly.FromDateTime(calendar.Local(ms))).Distinct().ToArray();
        var sb = new StringBuilder("\nHolidays and events of the calendar in the test window, every place summed at the day's peak slot:\n\n");
        var rows = 0;
        foreach (var day in days)
        {
            var what = new List<string>();
            if (calendar.Holidays.HolidayOn(day) is { } holiday) what.Add(holiday.NameEn);
            what.AddRange(calendar.Holidays.EventsOn(day).Where(e => e.From is not null).Select(e => $"{e.NameEn} ({e.Zone})"));
            if (what.Count == 0) continue;
            var slots = Enumerable.Range(0, first.SlotStartMs.Length).Where(j => DateOnly.FromDateTime(calendar.Local(first.SlotStartMs[j])) == day).ToArray();
            var peak = slots.MaxBy(j => first.Actual[j]);
            if (rows++ == 0)
            {
                sb.Append("| Day | What | Peak | Observed | ").Append(string.Join(" | ", result.Totals.Keys.Select(m => $"{m} {Ahead(1, first.Step, slotMinutes)} / {Ahead(first.Lead, first.Step, slotMinutes)} min ahead")))
                  .Append(" |\n|---|---|---|---:|").Append(string.Concat(result.Totals.Keys.Select(_ => "---:|"))).Append('\n');
            }

            sb.Append(ci, $"| {day:yyyy-MM-dd} | {string.Join("; ", what)} | {calendar.Local(first.SlotStartMs[peak]):HH:mm} | {first.Actual[peak]:0} |");
            foreach (var t in result.Totals.Values) sb.Append(ci, $" {Number(t.Ahead1[peak], "0")} / {Number(t.AheadLead[peak], "0")} |");
            sb.Append('\n');
        }

        return rows == 0 ? "\nNo holiday or dated event of the calendar falls in the test window.\n" : sb.ToString();
    }

    /// <summary>Appends every score as CSV rows, <paramref name="panel"/> naming what was forecast (cells, zones ...).</summary>
    public static void AppendCsv(StringBuilder csv, string panel, IReadOnlyList<BacktestScore> scores, int slotMinutes)
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var s in scores)
        {
            csv.Append(ci, $"{panel},{s.Model},{s.Horizon},{s.Horizon * slotMinutes},{Csv(s.Rmse)},{Csv(s.Mae)},{Csv(s.Mape)},{s.Pairs},")
               .Append(ci, $"{Csv(s.Coverage80)},{Csv(s.Coverage90)},{Csv(s.Coverage95)},{Csv(s.Winkler90)},{Csv(s.Brier)}\n");
        }
    }

    /// <summary>
    /// A chart of one place: what happened, and the forecasts of each model made at least the trace's lead ahead,
    /// with the 80% and 95% bands of the first model.
    /// </summary>
    public static void Chart(string path, string title, IReadOnlyList<BacktestTrace> traces, TimeZoneInfo zone)
    {
        if (traces.Count == 0) return;
        var plot = new Plot();
        var first = traces[0];
        var xs = first.SlotStartMs.Select(ms => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime.ToOADate()).ToArray();
        ChartParts.Band(plot, xs, first.Low95, first.High95, Colors.SteelBlue.WithAlpha(0.18), $"{first.Model} 95%");
        ChartParts.Band(plot, xs, first.Low80, first.High80, Colors.SteelBlue.WithAlpha(0.3), $"{first.Model} 80%");
        ChartParts.Line(plot, xs, first.Actual, Colors.Black, 1.5f, "observed");
        Color[] palette = [Colors.SteelBlue, Colors.OrangeRed, Colors.SeaGreen, Colors.Purple, Colors.DarkGoldenRod, Colors.Gray];
        var minutes = first.SlotStartMs.Length > 1 ? (first.SlotStartMs[1] - first.SlotStartMs[0]) / 60_000 : 0;
        for (var i = 0; i < traces.Count; i++)
            ChartParts.Line(plot, xs, traces[i].Mean, palette[i % palette.Length], i == 0 ? 1.5f : 1, $"{traces[i].Model} ({traces[i].Lead * minutes} min ahead)");

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.Axes.Title.Label.FontName = ChartFont.Family;
        plot.YLabel("people");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1600, 600);
    }

    // "15" with origins every slot, "15–60" with origins every 4 slots: each slot comes from the latest origin.
    private static string Ahead(int lead, int step, int slotMinutes) =>
        step == 1 ? (lead * slotMinutes).ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{lead * slotMinutes}–{(lead + step - 1) * slotMinutes}");

    private static string Percent(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Csv(double v) => double.IsNaN(v) ? "" : v.ToString("0.######", CultureInfo.InvariantCulture);
}
