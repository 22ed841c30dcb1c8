using CrowdWatch.Dashboard.Hosting;
using CrowdWatch.Forecast.Models;

namespace CrowdWatch.Dashboard.Forecasting;

/// <summary>The forecasts the host refreshes in the background as slots come in.</summary>
internal static class ForecastHosting
{
    /// <summary>Registers the forecast settings (the model among <see cref="ModelCatalog.Names"/>) and the refresh, run on a worker node.</summary>
    public static WebApplicationBuilder AddForecasting(this WebApplicationBuilder builder, ClusterOptions cluster)
    {
        builder.Services.AddOptions<ForecastOptions>().BindConfiguration(ForecastOptions.Section).ValidateDataAnnotations()
            .Validate(o => ModelCatalog.Names.Contains(o.Model), $"Forecast:Model must be one of {string.Join(", ", ModelCatalog.Names)}").ValidateOnStart();
        builder.Services.AddSingleton<ForecastRefresh>();
        if (cluster.Has(ClusterOptions.Worker)) builder.Services.AddHostedService(sp => sp.GetRequiredService<ForecastRefresh>());
        return builder;
    }
}
