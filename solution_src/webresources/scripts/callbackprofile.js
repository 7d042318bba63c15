// Callback Profile main form: Age Time Unit and Callback Age set the polling time window,
// so they are shown (and required) only for "Polling" and "Webhook backed with polling".
var Enreach = window.Enreach || {};
Enreach.CallbackProfile = (function () {
    "use strict";
    var POLLING = 105230000;
    var WEBHOOK_BACKED_WITH_POLLING = 105230002;
    var AGE_COLUMNS = ["enreach_agetimeunit", "enreach_callbackage"];

    function usesPolling(method) {
        return method === POLLING || method === WEBHOOK_BACKED_WITH_POLLING;
    }

    function showAgeFields(formContext) {
        var method = formContext.getAttribute("enreach_synchronizationmethod").getValue();
        var visible = usesPolling(method);
        AGE_COLUMNS.forEach(function (name) {
            var control = formContext.getControl(name);
            if (control) {
                control.setVisible(visible);
            }
            var attribute = formContext.getAttribute(name);
            if (attribute) {
                attribute.setRequiredLevel(visible ? "required" : "none");
            }
        });
    }

    return {
        onLoad: function (executionContext) {
            showAgeFields(executionContext.getFormContext());
        },
        onSynchronizationMethodChange: function (executionContext) {
            showAgeFields(executionContext.getFormContext());
        }
    };
}());
window.Enreach = Enreach;
