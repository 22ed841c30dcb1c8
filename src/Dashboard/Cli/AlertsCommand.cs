using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Outlooks;
using CrowdWatch.Alerts.Replay;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Dashboard.Charts;
using CrowdWatch.Forecast.Models;
using CrowdWatch.Geo.Ingest;
using CrowdWatch.Geo.Time;

namespace CrowdWatch.Dashboard.Cli;

/// <summary><c>crowdwatch alerts replay</c>: the whole warning chain over a past period, every alert with its times, and the lead times.</summary>
internal static class AlertsCommand
{
    /// <summary>The sample city's National Day evening, the default period.</summary>
    public const string SampleFrom = "2025-10-01T12:00:00+08:00";

    /// <summary>End of the default period.</summary>
    public const string SampleTo = "2025-10-02T02:00:00+08:00";

    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var command = new Command("alerts", "Warnings: replay the chain over a past period");
        command.Subcommands.Add(Replay(output, error, environment));
        command.Subcommands.Add(Deliver(output, error, environment));
        return command;
    }

    private static Command Deliver(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var untilEmpty = new Option<bool>("--until-empty") { Description = "Stop once every notification in the outbox is delivered (default: keep watching)" };
        var poll = new Option<int>("--poll-ms") { Description = "Milliseconds between looks at the outbox", DefaultValueFactory = _ => 200 };
        var lease = new Option<int>("--lease-seconds") { Description = "How long a claimed batch is this deliverer's: another deliverer (or this one after a crash) sends what it left undelivered once the lease ends", DefaultValueFactory = _ => 30 };
        var command = new Command("deliver", "Send the notifications waiting in the store's outbox (webhooks; SMS where Alerts__Sms__Endpoint is set; e-mail where Alerts__Email__Host is), retrying with backoff; what a crash interrupted goes out on the next run");
        command.Options.Add(untilEmpty);
        command.Options.Add(poll);
        command.Options.Add(lease);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            using var store = CliStore.From(environment).Open();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var secret = environment("Alerts__WebhookSecret");
            var channels = new List<Alerts.Delivery.INotificationChannel> { new WebhookChannel(http, _ => secret, TimeProvider.System) };
            if (environment("Alerts__Sms__Endpoint") is { } sms)
                channels.Add(new SmsGatewayChannel(http, Uri.TryCreate(sms, UriKind.Absolute, out var u) ? u : throw new InvalidDataException($"Alerts__Sms__Endpoint '{sms}': expected an absolute URL"),
                    int.TryParse(environment("Alerts__Sms__PerRecipientPerHour"), CultureInfo.InvariantCulture, out var limit) ? limit : 10, TimeProvider.System));
            if (environment("Alerts__Email__Host") is { Length: > 0 } host)
                channels.Add(new EmailChannel(new EmailSettings
                {
                    Host = host,
                    Port = int.TryParse(environment("Alerts__Email__Port"), CultureInfo.InvariantCulture, out var port) ? port : 25,
                    From = environment("Alerts__Email__From") ?? "crowdwatch@localhost",
                    User = environment("Alerts__Email__User"),
                    Password = environment("Alerts__Email__Password"),
                    StartTls = environment("Alerts__Email__StartTls") is "true" or "True",
                }));
            var alerts = store.Alerts;
            var dispatcher = new Alerts.Delivery.OutboxDispatcher(alerts, channels, lease: TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(lease))));
            var (delivered, failed) = (0, 0);
            while (true)
            {
                var (d, f) = dispatcher.RunOnceAsync().GetAwaiter().GetResult();
                (delivered, failed) = (delivered + d, failed + f);
                if (d > 0) output.WriteLine($"delivered {d}");
                if (parse.GetValue(untilEmpty) && alerts.DueAsync(long.MaxValue, 1).GetAwaiter().GetResult().Count == 0) break;
                Thread.Sleep(parse.GetValue(poll));
            }

            output.WriteLine($"outbox empty: {delivered} delivered, {failed} failed attempts");
            return 0;
        }));
        return command;
    }

    private static Command Replay(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var area = new AreaOptions();
        var history = new Option<string?>("--history") { Description = "A wide history file (default: the store's counts, else the deployment's history file)" };
        var from = new Option<string>("--from") { Description = "First instant replayed", DefaultValueFactory = _ => SampleFrom };
        var to = new Option<string>("--to") { Description = "End of the replay", DefaultValueFactory = _ => SampleTo };
        var model = new Option<string>("--model") { Description = $"Forecast model: one of {string.Join(", ", ModelCatalog.Names)}", DefaultValueFactory = _ => "lightgbm" };
        var horizons = new Option<int>("--horizons") { Description = "Slots ahead the forecasts look", DefaultValueFactory = _ => 16 };
        var outDir = new Option<string?>("--out", "-o") { Description = "Folder for alerts.csv and a PNG time line per warned zone" };
        var command = new Command("replay", "Run ingest-to-alert over a stored period as the live service would, list every alert with its times, and the lead of forecast warnings over observed Orange");
        area.AddTo(command);
        foreach (var o in new Option[] { history, from, to, model, horizons, outDir }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var clock = Stopwatch.StartNew();
            var progress = new ElapsedProgress(error, clock);
            var resolved = area.Resolve(parse, error, out var entry);
            var zone = resolved.TimeZone;
            var calendar = AreaOptions.Calendar(resolved, entry, error);
            long Instant(Option<string> option)
            {
                var text = parse.GetValue(option)!;
                return Instants.TryParse(text, out var ms) ? resolved.NewClock().SlotStartMs(ms) : throw new InvalidDataException($"{option.Name} '{text}': expected {Instants.Expected}");
            }

            var (fromMs, toMs) = (Instant(from), Instant(to));
            if (toMs <= fromMs) throw new InvalidDataException($"--to ({parse.GetValue(to)}) must be after --from ({parse.GetValue(from)})");
            var (panels, source) = Load(parse.GetValue(history), resolved, entry, fromMs, toMs, environment, error);
            if (panels is null) return 1;
            var slotMs = resolved.Settings.SlotMinutes * 60_000L;
            var first = (int)((fromMs - panels.Zones.StartMs) / slotMs);
            var last = (int)((toMs - panels.Zones.StartMs) / slotMs);
            if (first < 0 || first >= panels.Zones.Length)
                throw new InvalidDataException($"--from {Instants.Local(fromMs, zone)} is outside the history ({Instants.Local(panels.Zones.StartMs, zone)} to {Instants.Local(panels.Zones.SlotStart(panels.Zones.Length), zone)})");

            var rules = new TriggerRules();
            var policy = new AlertPolicy();
            var result = AlertReplay.Run(resolved, panels, calendar, first, last, parse.GetValue(model)!, parse.GetValue(horizons), rules, policy, progress);
            Print(output, result, resolved.Name, source, fromMs, Math.Min(toMs, panels.Zones.SlotStart(panels.Zones.Length)), parse.GetValue(model)!, zone);
            if (result.WorstSlotMs is { } worst)
            {
                output.WriteLine();
                output.WriteLine($"risk points at {Instants.Local(worst, zone)} (the riskiest slot; cells sharing an edge, ranked by people above the Blue density x (1 + level)):");
                foreach (var p in result.RiskPoints.Take(5))
                {
                    var (lon, lat) = resolved.Grid.CellCentre(resolved.Grid.CellAt(p.Cells[0]));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {p.Rank}. {p.Cells.Count} cells from {p.Cells[0]} ({lat:0.0000},{lon:0.0000}): {p.Level.Colour()}, score {p.Score:0}, peak {p.Peak.Density:0.00}/m² at {Hm(p.Peak.AtMs, zone)} ({p.Peak.Low:0.00}-{p.Peak.High:0.00}), {p.PeopleAtPeak:0} people"));
                }
            }

            if (parse.GetValue(outDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                var csv = Path.Combine(dir, "alerts.csv");
                File.WriteAllText(csv, Csv(result, zone), new UTF8Encoding(false));
                output.WriteLine($"wrote {csv}");
                for (var z = 0; z < result.Zones.Count; z++)
                {
                    if (result.Zones[z].FirstWarningMs is null) continue;
                    var png = Path.Combine(dir, $"alerts-{result.Zones[z].Zone}.png");
                    ReplayChartPng.Write(png, result, z, zone);
                    output.WriteLine($"wrote {png}");
                }
            }

            output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return command;
    }

    private static (AreaPanels? Panels, string Source) Load(string? history, Geo.Areas.Area area, Deployment.DeploymentFile.AreaEntry? entry, long fromMs, long toMs,
        Func<string, string?> environment, TextWriter error)
    {
        AreaPanels? File(string path)
        {
            var log = new RejectLog(new IngestReport(), observer: r => error.WriteLine($"warning: {r}"));
            var panels = AreaPanels.LoadWide(area, path, log);
            return log.Report.FileErrors.Count > 0 ? null : panels;
        }

        if (history is not null) return (File(history), history);
        var cliStore = CliStore.From(environment);
        var store = cliStore.Open();
        using (store)
        {
            // Eight weeks before the period: what the forecasts fit on.
            var stored = AreaPanels.LoadAsync(store.Counts, area, fromMs - (56 * 86_400_000L), toMs).GetAwaiter().GetResult();
            if (stored is not null) return (stored, cliStore.Description);
        }

        if (entry?.HistoryPath is { } path)
        {
            error.WriteLine($"the store holds no counts of '{area.Name}' for the period: replaying the deployment's history file {path}");
            return (File(path), path);
        }

        throw new InvalidDataException($"{cliStore.Description} holds no counts of area '{area.Name}' before {Instants.Local(toMs, area.TimeZone)}; ingest some or give --history");
    }

    private static string Hm(long ms, TimeZoneInfo zone) => Instants.Local(ms, zone)[11..16];

    private static void Print(TextWriter output, ReplayResult result, string area, string source, long fromMs, long toMs, string model, TimeZoneInfo zone)
    {
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine($"alerts replay of {area} from {Instants.Local(fromMs, zone)} to {Instants.Local(toMs, zone)}: {model} forecasts, counts from {source}");
        output.WriteLine();
        output.WriteLine("time   zone             event         level   trigger        certainty  note");
        foreach (var e in result.Entries)
        {
            var c = e.Change;
            output.WriteLine(string.Create(ci, $"{Hm(c.AtMs, zone)}  {Name(c.Alert.Place.Id),-16} {c.Kind.ToString().ToLowerInvariant(),-13} {c.Alert.Level.Colour(),-7} {c.Alert.Trigger.Kind,-14} {c.Alert.Trigger.Certainty,-10} {c.Note}"));
        }

        output.WriteLine();
        output.WriteLine("zone             peak level  first warning                 forecast trigger              observed Orange  lead of first warning / forecast");
        string What(long? at, Trigger? t) => at is { } ms && t is not null ? $"{Hm(ms, zone)} {t.Level.Colour()} {t.Kind}" : "-";
        string Lead(long? at, long? orange) => at is { } w && orange is { } o && w < o ? Minutes(o - w) : "-";
        foreach (var z in result.Zones.Where(z => z.FirstWarningMs is not null || z.PeakLevel > 0))
            output.WriteLine($"{z.Zone,-16} {z.PeakLevel.Colour(),-11} {What(z.FirstWarningMs, z.FirstWarning),-29} {What(z.FirstForecastMs, z.FirstForecast),-29} {(z.ObservedOrangeMs is { } o ? Hm(o, zone) : "-"),-16} {Lead(z.FirstWarningMs, z.ObservedOrangeMs)} / {Lead(z.FirstForecastMs, z.ObservedOrangeMs)}");

        output.WriteLine();
        foreach (var z in result.Zones.Where(z => z.ObservedOrangeMs is not null))
        {
            var orange = z.ObservedOrangeMs!.Value;
            output.WriteLine(z.FirstWarningMs is { } w && w < orange
                ? $"{z.Zone}: first warning at {Hm(w, zone)} ({z.FirstWarning!.Level.Colour()}, {z.FirstWarning.Kind}), observed Orange at {Hm(orange, zone)}: lead time {Minutes(orange - w)}"
                : $"{z.Zone}: observed Orange at {Hm(orange, zone)} with no warning before it");
            output.WriteLine(z.FirstForecastMs is { } f && f < orange
                ? string.Create(CultureInfo.InvariantCulture, $"{z.Zone}: forecast warning at {Hm(f, zone)} ({z.FirstForecast!.Level.Colour()}, {z.FirstForecast.Certainty}, p = {z.FirstForecast.Probability:0.00}), observed Orange at {Hm(orange, zone)}: lead time {Minutes(orange - f)}")
                : $"{z.Zone}: the forecast trigger did not fire before the observed Orange at {Hm(orange, zone)}");
            if (z.FirstOrangeForecastMs is { } fo && fo < orange)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{z.Zone}: forecast of {z.FirstOrangeForecast!.Level.Colour()} at {Hm(fo, zone)} ({z.FirstOrangeForecast.Certainty}, p = {z.FirstOrangeForecast.Probability:0.00}): lead time {Minutes(orange - fo)}"));
        }
    }

    private static string Minutes(long ms)
    {
        var m = (int)(ms / 60_000);
        return m >= 60 ? $"{m / 60} h {m % 60:00} min" : $"{m} min";
    }

    private static string Name(string placeId) => placeId.StartsWith("zone:", StringComparison.Ordinal) ? placeId[5..] : placeId;

    private static string Csv(ReplayResult result, TimeZoneInfo zone)
    {
        var sb = new StringBuilder("at,slot,place,event,alert,version,level,trigger,certainty,probability,density,capacity_use,actor,note\n");
        var ci = CultureInfo.InvariantCulture;
        static string Q(string? s) => s is null ? "" : $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        foreach (var e in result.Entries)
        {
            var c = e.Change;
            var a = c.Alert;
            sb.Append(ci, $"{Instants.Local(c.AtMs, zone)},{Instants.Local(e.SlotMs, zone)},{a.Place.Id},{c.Kind.ToString().ToLowerInvariant()},{a.Id},{a.Version},{a.Level.Colour()},")
              .Append(ci, $"{a.Trigger.Kind},{a.Trigger.Certainty},{a.Trigger.Probability:0.###},{a.Density:0.###},{a.CapacityUse:0.###},{Q(c.Actor)},{Q(c.Note)}\n");
        }

        return sb.ToString();
    }
}
