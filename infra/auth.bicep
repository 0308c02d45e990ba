// Staff sign-in for the workbench and the dashboard: App Service authentication (authsettingsV2) with Entra ID on the
// Function App. Anonymous requests still reach the app, because channel systems (x-functions-key), organizers (their
// link's token) and Open311 clients do not sign in; the handlers read the signed-in principal from
// X-MS-CLIENT-PRINCIPAL, which App Service sets (and strips from outside requests) only when this is on.
// The app registration (clientId) defines the app roles dispatcher, reviewer and supervisor; assign them to staff in
// Entra ID (Enterprise applications > Users and groups). Its client secret goes in the app setting named below.

@description('Name of the Function App (an existing Microsoft.Web/sites in this resource group).')
param appName string

@description('Application (client) ID of the Entra ID app registration that defines the staff app roles.')
param clientId string

@description('Directory (tenant) ID that staff sign in to.')
param tenantId string = subscription().tenantId

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: { convention: 'NoProxy' }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
          clientId: clientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
        }
        validation: {
          allowedAudiences: [ 'api://${clientId}', clientId ]
        }
      }
    }
    login: {
      tokenStore: { enabled: true }
      // Only the app's own pages may be the destination after sign-in.
      allowedExternalRedirectUrls: []
    }
  }
}
