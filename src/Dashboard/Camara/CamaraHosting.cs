namespace CrowdWatch.Dashboard.Camara;

/// <summary>The CAMARA APIs' settings and services.</summary>
internal static class CamaraHosting
{
    /// <summary>Registers <see cref="CamaraOptions"/> (section <c>Camara</c>), the answers and, on a dispatcher, the sink deliveries.</summary>
    public static WebApplicationBuilder AddCamara(this WebApplicationBuilder builder, Hosting.ClusterOptions cluster)
    {
        builder.Services.AddOptions<CamaraOptions>().BindConfiguration(CamaraOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AreaRegions>();
        builder.Services.AddSingleton<DensityAnswers>();
        builder.Services.AddSingleton<DeviceCountAnswers>();
        builder.Services.AddHttpClient("camara-sinks", c => c.Timeout = TimeSpan.FromSeconds(30));
        // Asynchronous answers go out from the nodes that send the outbox.
        if (cluster.Has(Hosting.ClusterOptions.Dispatcher))
        {
            builder.Services.AddSingleton<SinkDispatcher>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SinkDispatcher>());
        }
        return builder;
    }
}
