using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Hotline.Storage.Pipeline;

namespace Hotline.Storage.Blobs;

/// <summary>One CORS rule of the Blob service (what a browser on an organizer's phone may send directly).</summary>
/// <param name="AllowedOrigins">Origins, e.g. https://hotline.example.gov.cn, or "*".</param>
/// <param name="AllowedMethods">HTTP methods, e.g. PUT, GET.</param>
/// <param name="AllowedHeaders">Request headers the browser may send (prefixes with '*' allowed).</param>
/// <param name="ExposedHeaders">Response headers the browser may read.</param>
/// <param name="MaxAgeInSeconds">How long the browser may cache the preflight.</param>
public sealed record BlobCorsRule(
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<string> AllowedHeaders,
    IReadOnlyList<string> ExposedHeaders,
    int MaxAgeInSeconds);

/// <summary>Account-level Blob service operations: CORS rules and user delegation keys.</summary>
public sealed class BlobServiceClient
{
    private readonly HttpPipeline _pipeline;

    /// <summary>Creates the client.</summary>
    public BlobServiceClient(StorageConnection connection, StorageClientOptions? options = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _pipeline = StoragePipeline.Build(connection, StorageService.Blob, options);
    }

    /// <summary>The connection this client uses.</summary>
    public StorageConnection Connection { get; }

    /// <summary>
    /// Replaces the service's CORS rules (at most 5) via Set Blob Service Properties. Only the Cors element
    /// is sent, so logging, metrics and other settings stay as they are.
    /// </summary>
    public async Task<Response> SetCorsRulesAsync(IEnumerable<BlobCorsRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        if (list.Count > 5)
        {
            throw new ArgumentException("The Blob service allows at most 5 CORS rules.", nameof(rules));
        }
        var xml = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("StorageServiceProperties",
                new XElement("Cors", list.Select(r => new XElement("CorsRule",
                    new XElement("AllowedOrigins", string.Join(',', r.AllowedOrigins)),
                    new XElement("AllowedMethods", string.Join(',', r.AllowedMethods)),
                    new XElement("AllowedHeaders", string.Join(',', r.AllowedHeaders)),
                    new XElement("ExposedHeaders", string.Join(',', r.ExposedHeaders)),
                    new XElement("MaxAgeInSeconds", r.MaxAgeInSeconds.ToString(CultureInfo.InvariantCulture)))))));
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Connection.BlobEndpoint.Append("?restype=service&comp=properties"));
        message.SetUtf8Content(xml.Declaration + xml.ToString(SaveOptions.DisableFormatting), "application/xml");
        return await _pipeline.SendExpectingAsync(message, cancellationToken, 202).ConfigureAwait(false);
    }

    /// <summary>The service's current CORS rules (Get Blob Service Properties).</summary>
    public async Task<Response<IReadOnlyList<BlobCorsRule>>> GetCorsRulesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Connection.BlobEndpoint.Append("?restype=service&comp=properties"));
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var root = XDocument.Parse(response.Content.ToString()).Root!;
        static IReadOnlyList<string> Split(XElement rule, string name) =>
            (rule.Element(name)?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var rules = root.Element("Cors")?.Elements("CorsRule").Select(r => new BlobCorsRule(
            Split(r, "AllowedOrigins"),
            Split(r, "AllowedMethods"),
            Split(r, "AllowedHeaders"),
            Split(r, "ExposedHeaders"),
            int.Parse(r.Element("MaxAgeInSeconds")?.Value ?? "0", CultureInfo.InvariantCulture))).ToList() ?? [];
        return Response.FromValue<IReadOnlyList<BlobCorsRule>>(rules, response);
    }

    /// <summary>
    /// Get User Delegation Key: a signing key valid from <paramref name="startsOn"/> to <paramref name="expiresOn"/>
    /// (at most 7 days ahead). Needs a token credential; the service refuses Shared Key here.
    /// </summary>
    public async Task<Response<UserDelegationKey>> GetUserDelegationKeyAsync(DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        if (Connection.Credential is null)
        {
            throw new InvalidOperationException("A user delegation key needs a token credential; with an account key, sign a service SAS instead.");
        }
        var xml = new XElement("KeyInfo",
            new XElement("Start", BlobSas.FormatTime(startsOn)),
            new XElement("Expiry", BlobSas.FormatTime(expiresOn)));
        using var message = _pipeline.CreateMessage(RequestMethod.Post, Connection.BlobEndpoint.Append("?restype=service&comp=userdelegationkey"));
        message.SetUtf8Content("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xml.ToString(SaveOptions.DisableFormatting), "application/xml");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var root = XDocument.Parse(response.Content.ToString()).Root!;
        string Field(string name) => root.Element(name)?.Value ?? throw new FormatException($"User delegation key response lacks {name}.");
        return Response.FromValue(
            new UserDelegationKey(Field("SignedOid"), Field("SignedTid"), Field("SignedStart"), Field("SignedExpiry"), Field("SignedService"), Field("SignedVersion"), Field("Value")),
            response);
    }
}
