using System.Text.Json.Serialization;

namespace CrowdWatch.Dashboard.Camara;

/// <summary>The definition's <c>AcceptedAsyncResponse</c>: the operation whose answer will come to the sink.</summary>
public sealed record AcceptedAsync([property: JsonPropertyName("operationId")] string OperationId);
