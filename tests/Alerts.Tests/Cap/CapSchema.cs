using System.Diagnostics;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace CrowdWatch.Alerts.Tests.Cap;

/// <summary>
/// The OASIS CAP 1.2 schema, vendored in the repository at <c>data/specs/cap/cap12.xsd</c>; checks of CAP text and of
/// the bytes a feed reader gets (parsed as bytes, so that the declared encoding must match), and the same with
/// libxml2's <c>xmllint</c>, the parser CAP consumers use.
/// </summary>
internal static class CapSchema
{
    private static readonly Lazy<XmlSchemaSet> Set = new(() =>
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(Path());
        set.Add("urn:oasis:names:tc:emergency:cap:1.2", reader);
        set.Compile();
        return set;
    });

    public static string Path()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "data", "specs", "cap", "cap12.xsd");
            if (File.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir.FullName, "CrowdWatch.sln"))) return candidate;
        }

        throw new FileNotFoundException($"data/specs/cap/cap12.xsd not found in the repository above {AppContext.BaseDirectory}");
    }

    /// <summary>The schema's complaints about <paramref name="xml"/> (none when it validates).</summary>
    public static List<string> Errors(string xml)
    {
        var errors = new List<string>();
        var doc = XDocument.Parse(xml);
        doc.Validate(Set.Value, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        return errors;
    }

    /// <summary>
    /// The complaints about <paramref name="bytes"/> read as a feed reader reads them: the parser decodes the bytes by
    /// their declaration and validates while reading. A wrong declared encoding is a complaint.
    /// </summary>
    public static List<string> ErrorsOfBytes(byte[] bytes)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Set.Value, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException e)
        {
            errors.Add($"not well-formed as bytes: {e.Message}");
        }

        return errors;
    }

    /// <summary>
    /// <c>xmllint --noout --schema cap12.xsd</c> on <paramref name="file"/>: its exit code and what it said. Fails the
    /// test where xmllint is not installed (scripts/test.sh installs Debian's libxml2-utils).
    /// </summary>
    public static (int Code, string Output) Xmllint(string file)
    {
        var start = new ProcessStartInfo("xmllint", ["--noout", "--schema", Path(), file]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(start) ?? throw new InvalidOperationException("xmllint did not start");
        var output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
