using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>
/// <c>crowdwatch send</c>: a feed for running nodes. Posts a file of pings and of map searches to the ingest API of one
/// or more nodes, round-robin, in posts of a few thousand records, optionally moved to end now (to watch a recorded
/// evening live); waits out 503 (Retry-After) on another node, shows progress, and sums up what the nodes accepted.
/// </summary>
internal static class SendCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var command = new Command("send", "Post pings and map searches from files to running nodes' ingest API, round-robin");
        var to = new Option<string>("--to") { Description = "Comma-separated base addresses of the nodes, e.g. http://127.0.0.1:5101,http://127.0.0.1:5102", Required = true };
        var area = new Option<string>("--area") { Description = "The area to post to", DefaultValueFactory = _ => "chongqing" };
        var key = new Option<string?>("--key") { Description = "An ingest key (default: $CROWDWATCH_KEY)" };
        var pings = new Option<FileInfo?>("--pings") { Description = "Pings CSV (.gz too): timestamp,device_id,lat,lon,accuracy_m" };
        var searches = new Option<FileInfo?>("--searches") { Description = "Map searches CSV (.gz too): timestamp,query,poi_id,count" };
        var rows = new Option<int>("--rows") { Description = "Records per post", DefaultValueFactory = _ => 5000 };
        var endNow = new Option<bool>("--end-now") { Description = "Move every timestamp by whole 15-minute slots so that the files end in the current slot" };
        foreach (var o in new Option[] { to, area, key, pings, searches, rows, endNow }) command.Options.Add(o);
        command.SetAction(parse => CliErrors.Run(error, () =>
        {
            var nodes = parse.GetValue(to)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--to: '{u}' is not an address like http://127.0.0.1:5101")).ToList();
            var secret = parse.GetValue(key) ?? environment("CROWDWATCH_KEY") ?? throw new ArgumentException("--key: expected an ingest key (or set CROWDWATCH_KEY)");
            var files = new List<(string Kind, FileInfo File)>();
            if (parse.GetValue(pings) is { } p) files.Add(("pings", p));
            if (parse.GetValue(searches) is { } s) files.Add(("searches", s));
            if (files.Count == 0) throw new ArgumentException("expected --pings or --searches (or both)");
            foreach (var (_, f) in files.Where(f => !f.File.Exists)) throw new ArgumentException($"{f.FullName}: no such file");
            if (parse.GetValue(rows) is < 1 or > 1_000_000) throw new ArgumentException("--rows: expected 1 to 1 000 000 records per post");
            var shift = parse.GetValue(endNow) ? RecordShift.EndingAt(files.Max(f => LastTimestamp(f.File)), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 900_000) : new RecordShift(0);
            if (shift.ShiftMs > 0) error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timestamps moved by {TimeSpan.FromMilliseconds(shift.ShiftMs).TotalDays:0.###} days to end now"));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            var failed = 0;
            foreach (var (kind, file) in files)
            {
                var sent = new Shipment(http, nodes, $"/api/areas/{Uri.EscapeDataString(parse.GetValue(area)!)}/ingest/{kind}", error);
                sent.SendAsync(file, shift, parse.GetValue(rows)).GetAwaiter().GetResult();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind}: {sent.Records:N0} records in {sent.Posts:N0} posts to {nodes.Count} node(s): {sent.Accepted:N0} accepted, {sent.Rejected:N0} rejected, "
                    + $"{sent.FailedPosts} posts refused; {sent.Elapsed.TotalSeconds:0.0} s, {sent.Records / Math.Max(0.001, sent.Elapsed.TotalSeconds):N0} records/s"));
                failed += sent.FailedPosts;
            }

            return failed == 0 ? 0 : 1;
        }));
        return command;
    }

    internal static TextReader Open(FileInfo file)
    {
        Stream stream = file.OpenRead();
        if (file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8);
    }

    private static long LastTimestamp(FileInfo file)
    {
        using var reader = Open(file);
        reader.ReadLine();
        var last = long.MinValue;
        while (reader.ReadLine() is { } line)
            if (RecordShift.TimestampOf(line) is { } t && t > last) last = t;
        return last == long.MinValue ? throw new InvalidDataException($"{file.FullName}: no record with a timestamp in its first column") : last;
    }

    // One file's posts, in order, each to the next node; a node that answers 503 is left for the next one after its Retry-After.
    private sealed class Shipment(HttpClient http, IReadOnlyList<Uri> nodes, string path, TextWriter error)
    {
        private readonly Stopwatch _clock = new();
        private int _next;
        private long _shownMs = -1000;

        public long Records { get; private set; }

        public int Posts { get; private set; }

        public long Accepted { get; private set; }

        public long Rejected { get; private set; }

        public int FailedPosts { get; private set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        public async Task SendAsync(FileInfo file, RecordShift shift, int perPost)
        {
            _clock.Start();
            using var reader = Open(file);
            var header = await reader.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidDataException($"{file.FullName}: empty file");
            var body = new StringBuilder();
            var count = 0;
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (count == 0) body.Append(header).Append('\n');
                body.Append(shift.Apply(line)).Append('\n');
                if (++count < perPost) continue;
                await PostAsync(file.Name, body.ToString(), count).ConfigureAwait(false);
                (body, count) = (new StringBuilder(), 0);
            }

            if (count > 0) await PostAsync(file.Name, body.ToString(), count).ConfigureAwait(false);
            _clock.Stop();
        }

        private async Task PostAsync(string file, string body, int count)
        {
            for (var attempt = 0; ; attempt++)
            {
                var node = nodes[_next++ % nodes.Count];
                using var content = new StringContent(body, Encoding.UTF8, "text/csv");
                HttpResponseMessage response;
                try
                {
                    response = await http.PostAsync(new Uri(node, path), content).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (attempt < 10)
                {
                    error.WriteLine($"{node}: {e.Message}; trying the next node");
                    await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    continue;
                }

                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 10)
                    {
                        var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
                        error.WriteLine($"{node}: 503, nothing kept; again in {wait.TotalSeconds:0} s");
                        await Task.Delay(wait).ConfigureAwait(false);
                        continue;
                    }

                    Tally(node, file, count, response.StatusCode, await response.Content.ReadAsStringAsync().ConfigureAwait(false));
                    return;
                }
            }
        }

        private void Tally(Uri node, string file, int count, HttpStatusCode status, string answer)
        {
            Records += count;
            Posts++;
            using var json = JsonDocument.Parse(answer.Length > 0 && answer[0] == '{' ? answer : "{}");
            long Field(string name) => json.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
            if (status == HttpStatusCode.OK)
            {
                Accepted += Field("accepted");
                Rejected += Field("rejected");
            }
            else
            {
                FailedPosts++;
                Rejected += count;
                var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : answer;
                error.WriteLine($"{file}, post {Posts}: {node} answered {(int)status}: {detail}");
            }

            if (_clock.ElapsedMilliseconds - _shownMs < 1000) return;
            _shownMs = _clock.ElapsedMilliseconds;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {Records:N0} records sent, {Records / Math.Max(0.001, _clock.Elapsed.TotalSeconds):N0}/s"));
        }
    }
}
