namespace CrowdWatch.Dashboard.Camara;

/// <summary>The CAMARA APIs' settings and services.</summary>
internal static class CamaraHosting
{
    /// <summary>Registers <see cref="CamaraOptions"/> (section <c>Camara</c>) and the density answers.</summary>
    public static WebApplicationBuilder AddCamara(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CamaraOptions>().BindConfiguration(CamaraOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AreaRegions>();
        builder.Services.AddSingleton<DensityAnswers>();
        builder.Services.AddSingleton<DeviceCountAnswers>();
        return builder;
    }
}
