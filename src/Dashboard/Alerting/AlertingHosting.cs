using CrowdWatch.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>The warnings: the judge of every area, its journal and outbox, delivery and the live feed of events.</summary>
internal static class AlertingHosting
{
    /// <summary>Registers alerting, delivery and the live feed of alert events: the judge runs on a worker node, delivery on a dispatcher.</summary>
    public static WebApplicationBuilder AddAlerting(this WebApplicationBuilder builder, ClusterOptions cluster)
    {
        builder.Services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertingOptions>, AlertingOptionsValidation>();
        builder.Services.AddHttpClient("alerts", c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<AlertMetrics>();
        builder.Services.AddSingleton<RecipientBook>();
        builder.Services.AddSingleton<OutboxService>();
        if (cluster.Has(ClusterOptions.Dispatcher)) builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxService>());
        builder.Services.AddSingleton<AlertService>();
        // The live feed starts before the alert service, so that it hears every event from the first.
        builder.Services.AddSingleton<Live.AlertFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Live.AlertFeed>());
        // With several nodes every node follows the store's open alerts (the list, acknowledgements); a worker judges the areas it owns.
        if (cluster.Has(ClusterOptions.Worker) || cluster.Shared) builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        return builder;
    }
}
