using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace CrowdWatch.Alerts.Tests.Cap;

/// <summary>The OASIS CAP 1.2 schema from ../shared/specs/cap beside the repository; a test fails when it is missing.</summary>
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
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "specs", "cap", "cap12.xsd");
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"cap12.xsd not found in shared/specs/cap above {AppContext.BaseDirectory}");
    }

    /// <summary>The schema's complaints about <paramref name="xml"/> (none when it validates).</summary>
    public static List<string> Errors(string xml)
    {
        var errors = new List<string>();
        var doc = XDocument.Parse(xml);
        doc.Validate(Set.Value, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        return errors;
    }
}
