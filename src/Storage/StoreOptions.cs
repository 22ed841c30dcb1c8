using System.ComponentModel.DataAnnotations;

namespace CrowdWatch.Storage;

/// <summary>
/// Which store holds counts, and how long they are kept; bound from the <c>Store</c> section (environment:
/// <c>Store__Provider</c>, <c>Store__DataDirectory</c>, ...). PostgreSQL's connection string is
/// <c>ConnectionStrings:CrowdWatch</c> (environment: <c>ConnectionStrings__CrowdWatch</c>).
/// </summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Store";

    /// <summary>Name of the connection string used by the PostgreSQL backend.</summary>
    public const string ConnectionName = "CrowdWatch";

    /// <summary>The embedded backend's name.</summary>
    public const string Embedded = "embedded";

    /// <summary>The PostgreSQL backend's name.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>embedded</c> (the default: a single file under <see cref="DataDirectory"/>) or <c>postgres</c>.</summary>
    [RegularExpression("^(embedded|postgres)$", ErrorMessage = "Store:Provider must be 'embedded' or 'postgres'")]
    public string Provider { get; set; } = Embedded;

    /// <summary>
    /// Folder of the embedded store's file, created on first use. The default is the user's data folder
    /// (<c>~/.local/share/crowdwatch/store</c> on Linux), the same whichever folder the host or a verb is started from.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>The default <see cref="DataDirectory"/>.</summary>
    public static string DefaultDataDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "crowdwatch", "store");

    /// <summary>Days binned counts are kept; the retention sweep deletes older slots.</summary>
    [Range(1, 36_500)]
    public int CountRetentionDays { get; set; } = 400;

    /// <summary>Days audit entries are kept; empty (the default): forever.</summary>
    [Range(1, 36_500)]
    public int? AuditRetentionDays { get; set; }

    /// <summary>Days an alert is kept after its last event, with its messages; empty (the default): forever.</summary>
    [Range(1, 36_500)]
    public int? AlertRetentionDays { get; set; }

    /// <summary>The embedded store's file inside <see cref="DataDirectory"/>.</summary>
    public string EmbeddedPath => Path.Combine(DataDirectory, "crowdwatch.db");

    /// <summary>Reads the settings from environment variables, as the host's configuration would.</summary>
    public static StoreOptions FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new StoreOptions();
        if (environment("Store__Provider") is { Length: > 0 } provider) options.Provider = provider;
        if (environment("Store__DataDirectory") is { Length: > 0 } folder) options.DataDirectory = folder;
        if (environment("Store__CountRetentionDays") is { Length: > 0 } days)
            options.CountRetentionDays = int.TryParse(days, System.Globalization.CultureInfo.InvariantCulture, out var d)
                ? d : throw new InvalidDataException($"Store__CountRetentionDays is '{days}'; expected a whole number of days");
        return options;
    }
}
