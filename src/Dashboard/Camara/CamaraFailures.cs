using System.Data.Common;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>
/// What a CAMARA answer that could not be computed says, in the CAMARA body: 503 UNAVAILABLE while the store is away,
/// 504 TIMEOUT when a read ran out of time, 500 INTERNAL for anything else (logged).
/// </summary>
public static partial class CamaraFailures
{
    /// <summary>Runs <paramref name="answer"/>; a failure becomes its CAMARA error.</summary>
    public static async Task<IResult> GuardAsync(Func<Task<IResult>> answer, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return await answer().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException e)
        {
            Failed(log, e);
            return new CamaraError(504, "TIMEOUT", "Request timeout exceeded.").ToResult();
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            Failed(log, e);
            return new CamaraError(503, "UNAVAILABLE", "Service Unavailable.").ToResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed(log, e);
            return new CamaraError(500, "INTERNAL", "Unknown server error. Typically a server bug.").ToResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A CAMARA answer failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
