using System.Net;
using System.Web;
using Azure.Core;
using Hotline.Storage.Blobs;

namespace Hotline.Storage.Tests;

/// <summary>
/// SAS signing checked against the documented string-to-sign layouts (signatures computed independently
/// with Python's hmac), and the user-delegation flow against a recorded transport: Azurite cannot issue
/// user delegation keys over http, so that path is proven to the published spec here.
/// </summary>
public sealed class BlobSasTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Service_sas_string_to_sign_follows_the_2020_12_06_layout()
    {
        var stringToSign = BlobSas.ServiceSasStringToSign("cw", "", "2026-01-01T08:00:00Z", BlobSas.CanonicalResource("devstoreaccount1", "evidence", "matter-1/photo 1.jpg"), "2025-05-05");

        string[] documented =
        [
            "cw", // signedPermissions
            "", // signedStart
            "2026-01-01T08:00:00Z", // signedExpiry
            "/blob/devstoreaccount1/evidence/matter-1/photo 1.jpg", // canonicalizedResource
            "", // signedIdentifier
            "", // signedIP
            "", // signedProtocol
            "2025-05-05", // signedVersion
            "b", // signedResource
            "", // signedSnapshotTime
            "", // signedEncryptionScope
            "", "", "", "", "", // rscc, rscd, rsce, rscl, rsct
        ];
        Assert.Equal(string.Join("\n", documented), stringToSign);
    }

    [Fact]
    public void Service_sas_query_carries_the_signed_fields_and_signature()
    {
        var key = new StorageSharedKey("devstoreaccount1", StorageConnection.DevelopmentAccountKey);

        var query = HttpUtility.ParseQueryString(BlobSas.ServiceSasQuery(key, "evidence", "matter-1/photo 1.jpg", BlobSasPermissions.Write | BlobSasPermissions.Create, Expiry));

        Assert.Equal("2025-05-05", query["sv"]);
        Assert.Null(query["st"]);
        Assert.Equal("2026-01-01T08:00:00Z", query["se"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("cw", query["sp"]);
        Assert.Equal("/dOVor1+n0HNvd+kJhLrBuj7DPyBEzwZJTOJ+DdoBEc=", query["sig"]);
    }

    [Fact]
    public void Permissions_are_written_in_the_required_order()
    {
        Assert.Equal("rcwd", BlobSas.PermissionString(BlobSasPermissions.Delete | BlobSasPermissions.Write | BlobSasPermissions.Create | BlobSasPermissions.Read));
        Assert.Equal("r", BlobSas.PermissionString(BlobSasPermissions.Read));
        Assert.Throws<ArgumentException>(() => BlobSas.PermissionString(BlobSasPermissions.None));
        Assert.Throws<ArgumentException>(() => BlobSas.PermissionString((BlobSasPermissions)64));
    }

    private static readonly UserDelegationKey Key = new(
        "11111111-2222-3333-4444-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "2026-01-01T07:00:00Z", "2026-01-01T13:00:00Z", "b", "2025-05-05",
        Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void User_delegation_sas_string_to_sign_follows_the_2020_12_06_layout()
    {
        var stringToSign = BlobSas.UserDelegationSasStringToSign("r", "2026-01-01T07:55:00Z", "2026-01-01T08:00:00Z",
            BlobSas.CanonicalResource("hotline", "evidence", "matter-1/photo 1.jpg"), Key, "2025-05-05");

        string[] documented =
        [
            "r", // signedPermissions
            "2026-01-01T07:55:00Z", // signedStart
            "2026-01-01T08:00:00Z", // signedExpiry
            "/blob/hotline/evidence/matter-1/photo 1.jpg", // canonicalizedResource
            "11111111-2222-3333-4444-555555555555", // signedKeyObjectId
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", // signedKeyTenantId
            "2026-01-01T07:00:00Z", // signedKeyStart
            "2026-01-01T13:00:00Z", // signedKeyExpiry
            "b", // signedKeyService
            "2025-05-05", // signedKeyVersion
            "", // signedAuthorizedUserObjectId
            "", // signedUnauthorizedUserObjectId
            "", // signedCorrelationId
            "", // signedIP
            "", // signedProtocol
            "2025-05-05", // signedVersion
            "b", // signedResource
            "", // signedSnapshotTime
            "", // signedEncryptionScope
            "", "", "", "", "", // rscc, rscd, rsce, rscl, rsct
        ];
        Assert.Equal(string.Join("\n", documented), stringToSign);
    }

    [Fact]
    public async Task With_a_token_credential_the_client_fetches_a_delegation_key_with_a_bearer_token_and_signs_with_it()
    {
        var now = new DateTimeOffset(2026, 1, 1, 7, 50, 0, TimeSpan.Zero);
        using var transport = new FakeHandler(request => FakeHandler.Respond(HttpStatusCode.OK,
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <UserDelegationKey><SignedOid>{Key.SignedObjectId}</SignedOid><SignedTid>{Key.SignedTenantId}</SignedTid><SignedStart>{Key.SignedStartsOn}</SignedStart><SignedExpiry>{Key.SignedExpiresOn}</SignedExpiry><SignedService>b</SignedService><SignedVersion>2025-05-05</SignedVersion><Value>{Key.Value}</Value></UserDelegationKey>
            """));
        var credential = new FakeCredential();
        var connection = StorageConnection.FromCredential("hotline", credential);
        var container = new BlobContainerClient(connection, "evidence", transport.Options(), new FixedTime(now));

        var sas = await container.GenerateSasUriAsync("matter-1/photo 1.jpg", BlobSasPermissions.Read, Expiry, startsOn: now.AddMinutes(5));
        var again = await container.GenerateSasUriAsync("matter-1/photo 2.jpg", BlobSasPermissions.Read, Expiry);

        // One Get User Delegation Key call, authenticated with the bearer token for the storage scope.
        var keyRequest = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Post, keyRequest.Method);
        Assert.Equal("https://hotline.blob.core.windows.net/?restype=service&comp=userdelegationkey", keyRequest.Uri.AbsoluteUri);
        Assert.Equal("Bearer test-token", keyRequest.Headers["Authorization"]);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.Equal("2025-05-05", keyRequest.Headers["x-ms-version"]);
        Assert.Contains("<Start>2026-01-01T07:45:00Z</Start><Expiry>2026-01-01T13:50:00Z</Expiry>", keyRequest.Body, StringComparison.Ordinal);

        Assert.Equal("https://hotline.blob.core.windows.net/evidence/matter-1/photo%201.jpg", sas.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(sas.Query);
        Assert.Equal("r", query["sp"]);
        Assert.Equal("2026-01-01T07:55:00Z", query["st"]);
        Assert.Equal("2026-01-01T08:00:00Z", query["se"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("2025-05-05", query["sv"]);
        Assert.Equal(Key.SignedObjectId, query["skoid"]);
        Assert.Equal(Key.SignedTenantId, query["sktid"]);
        Assert.Equal(Key.SignedStartsOn, query["skt"]);
        Assert.Equal(Key.SignedExpiresOn, query["ske"]);
        Assert.Equal("b", query["sks"]);
        Assert.Equal("2025-05-05", query["skv"]);
        // HMAC-SHA256 of the documented string (previous test) under the key bytes 0..31, computed with Python.
        Assert.Equal("d6YXfazGcUqDNIYFXB9juLKeB0AWWbh7rT6xRwGj1lY=", query["sig"]);

        Assert.Equal(Key.SignedObjectId, HttpUtility.ParseQueryString(again.Query)["skoid"]);
    }

    [Fact]
    public async Task A_user_delegation_key_needs_a_token_credential()
    {
        var service = new BlobServiceClient(StorageConnection.Development());

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.GetUserDelegationKeyAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
    }

    [Fact]
    public async Task A_user_delegation_sas_cannot_outlive_seven_days()
    {
        var container = new BlobContainerClient(StorageConnection.FromCredential("hotline", new FakeCredential()), "evidence");

        await Assert.ThrowsAsync<ArgumentException>(() => container.GenerateSasUriAsync("a.jpg", BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddDays(8)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>A token credential that hands out a fixed token and records the scopes asked for.</summary>
internal sealed class FakeCredential : TokenCredential
{
    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (Scopes)
        {
            Scopes.AddRange(requestContext.Scopes);
        }
        return new AccessToken("test-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
