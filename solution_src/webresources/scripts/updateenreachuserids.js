// "Update Enreach User Ids" on the user list of the Voice Configurator: calls the unbound
// custom API enreach_UpdateEnreachUserIds, then refreshes the list so the ids show up.
var Enreach = window.Enreach || {};
Enreach.UserCommands = (function () {
    "use strict";

    function request() {
        return {
            getMetadata: function () {
                return { boundParameter: null, parameterTypes: {}, operationType: 0,
                         operationName: "enreach_UpdateEnreachUserIds" };
            }
        };
    }

    function done(gridControl, response) {
        return response.json().then(function (body) {
            Xrm.Navigation.openAlertDialog({ text: body.Message || "Enreach user ids updated." });
            if (gridControl && gridControl.refresh) {
                gridControl.refresh();
            }
        });
    }

    function failed(error) {
        Xrm.Navigation.openErrorDialog({ message: error.message });
    }

    return {
        // Enable rule: show the button only inside the named app (Unified Interface waits
        // for a promise returned by a custom rule).
        isCurrentApp: function (appUniqueName) {
            return Xrm.Utility.getGlobalContext().getCurrentAppProperties()
                .then(function (app) { return app.uniqueName === appUniqueName; })
                .catch(function () { return false; });
        },
        updateEnreachUserIds: function (gridControl) {
            Xrm.Utility.showProgressIndicator("Updating Enreach user ids...");
            Xrm.WebApi.online.execute(request())
                .then(function (response) { return done(gridControl, response); })
                .catch(failed)
                .finally(function () { Xrm.Utility.closeProgressIndicator(); });
        }
    };
}());
window.Enreach = Enreach;
