using Microsoft.Extensions.Options;

namespace CrowdWatch.Dashboard.Alerting;

/// <summary>Refuses alerting settings that make no sense, naming the setting and what was expected.</summary>
internal sealed class AlertingOptionsValidation : IValidateOptions<AlertingOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertingOptions options) =>
        options.IsValid(out var reason) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(reason!);
}
