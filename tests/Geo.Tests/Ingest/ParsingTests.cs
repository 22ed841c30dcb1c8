using System.Globalization;
using System.Text;
using CrowdWatch.Geo.Ingest;

namespace CrowdWatch.Geo.Tests.Ingest;

public class ParsingTests
{
    [Theory]
    [InlineData("2026-10-01T20:15:00+08:00", 1790856900000L)]
    [InlineData("2026-10-01T12:15:00Z", 1790856900000L)]
    [InlineData("2026-10-01 12:15:00.5+00:00", 1790856900500L)]
    [InlineData("2026-10-01T07:00:00-0515", 1790856900000L)]
    [InlineData("1790856900", 1790856900000L)]
    [InlineData("1790856900.25", 1790856900250L)]
    [InlineData("1790856900123", 1790856900123L)]
    public void Timestamps_parse_to_unix_milliseconds(string text, long expected)
    {
        Assert.True(Timestamps.TryParse(text, out var ms, out var problem), problem);
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("2026-10-01T20:15:00", "no UTC offset")]
    [InlineData("2026-02-30T20:15:00Z", "out of range")]
    [InlineData("2026-10-01T20:15:00+25:00", "offset out of range")]
    [InlineData("19700101", "outside 2000..2099")]
    [InlineData("", "empty")]
    public void Bad_timestamps_say_what_is_wrong(string text, string expected)
    {
        Assert.False(Timestamps.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Fast_number_parser_agrees_with_the_framework_bit_for_bit()
    {
        var random = new Random(1);
        for (var i = 0; i < 100_000; i++)
        {
            var value = (random.NextDouble() * 360) - 180;
            var text = value.ToString("F" + random.Next(0, 12), CultureInfo.InvariantCulture);
            Assert.True(Numbers.TryParse(Encoding.ASCII.GetBytes(text), out var parsed));
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), parsed);
        }

        foreach (var odd in new[] { "1e3", "-0.000000000000000001234", "12345678901234567890.5" })
        {
            Assert.True(Numbers.TryParse(Encoding.ASCII.GetBytes(odd), out var parsed));
            Assert.Equal(double.Parse(odd, CultureInfo.InvariantCulture), parsed);
        }

        foreach (var bad in new[] { "", "-", ".", "1.2.3", "NaN", "Infinity", "12abc" })
            Assert.False(Numbers.TryParse(Encoding.ASCII.GetBytes(bad), out _), bad);
    }

    [Fact]
    public void Csv_fields_handle_quotes_and_escaped_quotes()
    {
        var fields = new CsvFields();
        Assert.True(fields.TrySplit("a,\"b,c\",\"say \"\"hi\"\"\",,d"u8, out var data, out _));
        var values = new string[fields.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Encoding.UTF8.GetString(data[fields[i]]);
        Assert.Equal(new[] { "a", "b,c", "say \"hi\"", "", "d" }, values);
        Assert.False(fields.TrySplit("a,\"b"u8, out _, out var problem));
        Assert.Contains("not closed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_reader_keeps_memory_flat_and_reports_an_over_long_line()
    {
        var longLine = new string('x', Utf8LineReader.MaxLineBytes + 10);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"first\n{longLine}\nlast"));
        var reader = new Utf8LineReader(stream);
        Assert.True(reader.TryReadLine(out var line));
        Assert.Equal("first", Encoding.UTF8.GetString(line));
        Assert.True(reader.TryReadLine(out _));
        Assert.True(reader.LastLineTooLong);
        Assert.True(reader.TryReadLine(out line));
        Assert.Equal("last", Encoding.UTF8.GetString(line));
        Assert.Equal(3, reader.LineNumber);
        Assert.False(reader.TryReadLine(out _));
    }

    [Fact]
    public void Timestamp_reader_for_ordered_rows_agrees_with_the_full_parser()
    {
        var reader = new TimestampReader();
        var random = new Random(5);
        var t = DateTimeOffset.Parse("2026-10-01T23:58:00+08:00", CultureInfo.InvariantCulture);
        string[] formats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
        for (var i = 0; i < 20_000; i++)
        {
            t = t.AddMilliseconds(random.Next(0, 4000));
            var format = formats[(i / 500) % formats.Length];
            var text = (format.EndsWith("'Z'", StringComparison.Ordinal) ? t.ToUniversalTime() : t).ToString(format, CultureInfo.InvariantCulture);
            if (i % 997 == 0) text = text.Replace(":5", ":6", StringComparison.Ordinal); // sometimes an impossible minute or second
            var bytes = Encoding.UTF8.GetBytes(text);
            var expectedOk = Timestamps.TryParse(bytes, out var expected, out _);
            Assert.Equal(expectedOk, reader.TryParse(bytes, out var actual, out _));
            if (expectedOk) Assert.Equal(expected, actual);
        }
    }
}

