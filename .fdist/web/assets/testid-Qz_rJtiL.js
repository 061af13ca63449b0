function a(t,e={}){return{...e,"data-testid":t}}export{a as w};
