using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrowdWatch.Storage.Tests;

/// <summary>
/// A real PostgreSQL server for the tests: the one named by <c>CROWDWATCH_TEST_POSTGRES</c> (a connection string), or
/// else a throw-away cluster started from Debian's binaries on 127.0.0.1 (README's test command installs
/// <c>postgresql-15-postgis-3</c>). A missing server fails the tests that need it: it is never a skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDirectory;
    private string? _bin;
    private int _databases;

    /// <summary>Connection string of the server's maintenance database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A new empty database on the server, for one test.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"cw_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("CROWDWATCH_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            : null;
        if (_bin is null)
            throw new InvalidOperationException("no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb): README's test command installs "
                + "postgresql-15-postgis-3; or set CROWDWATCH_TEST_POSTGRES to a connection string");
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"crowdwatch-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dataDirectory);
        // The server refuses to run as root: under root it runs as the postgres account the package created.
        if (Environment.UserName == "root") await Run("chown", $"postgres {_dataDirectory}", asPostgres: false);
        await Run(Path.Combine(_bin, "initdb"), $"-D {_dataDirectory} -U crowdwatch --auth=trust -E UTF8 --no-instructions", asPostgres: true);
        _port = FreePort();
        await ResumeAsync();
        ConnectionString = $"Host=127.0.0.1;Port={_port};Username=crowdwatch;Database=postgres;Pooling=false";
    }

    private int _port;

    /// <summary>Stops the server at once (as a crash would), keeping its data, for a test of a store gone away.</summary>
    public Task PauseAsync() =>
        _bin is null ? throw new InvalidOperationException("the server is not this fixture's to stop") : Run(Path.Combine(_bin, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop", asPostgres: true);

    /// <summary>Starts the server (again) on its port.</summary>
    public Task ResumeAsync() =>
        _bin is null ? throw new InvalidOperationException("the server is not this fixture's to start")
            : Run(Path.Combine(_bin, "pg_ctl"), $"-D {_dataDirectory} -l {_dataDirectory}/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p {_port} -k {_dataDirectory}\" start", asPostgres: true);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_dataDirectory is null || _bin is null) return;
        await Run(Path.Combine(_bin, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop", asPostgres: true);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string program, string arguments, bool asPostgres)
    {
        var root = Environment.UserName == "root";
        var start = asPostgres && root
            ? new ProcessStartInfo("runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {await output}{await error}");
    }
}

/// <summary>The tests sharing one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "postgres";
}
