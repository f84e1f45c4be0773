// A Vue 3 app embedding the elements as a Vue team would: import the package (defining the tags
// before Vue mounts, so that bindings find their properties), then mount.
import 'turtle-shell/elements';
import { createApp } from 'vue';
import HostPage from './HostPage.vue';

createApp(HostPage).mount('#app');
